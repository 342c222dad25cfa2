"""Build hook: a wheel carries the top-level data folders inside the package.

The repository keeps ``templates/``, ``style_rules/`` and ``samples/`` at the top level;
``build_py`` copies them to ``docgen/_data/`` so an installed docgen finds them with
``importlib.resources`` (see ``docgen/resources.py``). An editable install reads the
checkout's folders directly, so nothing is copied for it.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

FOLDERS = ("templates", "style_rules", "samples")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "docgen" / "_data"
        for name in FOLDERS:
            if Path(name).is_dir():
                shutil.copytree(name, target / name, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "~$*", ".~lock*"))


setup(cmdclass={"build_py": BuildWithData})
