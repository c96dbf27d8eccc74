-- Stop profiling: the profile of the statement before stays in the output file.
PRAGMA disable_profiling
