"""`[lake]`: where the lake's data files live, when not in the lake folder itself.

    [lake]
    data = "s3a://my-bucket/ctlake"     # or a folder; default: the lake folder
    [lake.options]                      # passed to the fsspec filesystem of that URL
    endpoint_url = "https://s3.eu-west-1.amazonaws.com"

The catalog, the write lock and this file stay in the lake folder; the Parquet files go
under `data` (see `ctlake.lake.files`). Credentials belong in the environment or the
filesystem's own configuration (for S3: the AWS credential chain), not here; any option
whose name says it is a secret is masked by `config show` all the same.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from ctlake.config.keys import KeyPath, lake_path, only, string, table
from ctlake.delivery.mask import MASK, mask_credentials, remember

_SECRET_OPTION = re.compile(r"secret|token|password|key|credential", re.IGNORECASE)


@dataclass(frozen=True)
class LakeStorage:
    data: str | None = None  # a URL as given, or an absolute folder; None: the lake folder
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> LakeStorage:
        data = table(value, path)
        only(data, {"data", "options"}, path, "a key")
        options = table(data.get("options", {}), path / "options")
        for key, item in options.items():
            if not isinstance(item, str | int | float | bool | dict):
                raise (path / "options" / key).expected("a string, number, boolean or table", item)
        if "data" not in data:
            return cls(None, dict(options))
        location = string(data, "data", path)
        if "://" in location:
            remember(location)  # userinfo in the URL is masked in any error that quotes it
        else:
            location = os.path.normpath(lake_path(path.lake_root, location))
        return cls(location, dict(options))

    def to_toml(self) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        if self.data is not None:
            shown["data"] = mask_credentials(self.data) if "://" in self.data else self.data
        if self.options:
            shown["options"] = {
                key: MASK if _SECRET_OPTION.search(key) else value
                for key, value in self.options.items()
            }
        return shown
