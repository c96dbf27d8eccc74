-- Where the profile goes ({{ path }}: a string literal; a PRAGMA takes no bound parameter).
PRAGMA profiling_output = {{ path }}
