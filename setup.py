"""Everything about the package is in pyproject.toml; this only adds a build step: a wheel
carries the example configurations and the front-end libraries from npm (layso/bundle.py),
copied in at build time, so the repository still holds no third-party code and an installed
server finds nothing outside its package."""

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("layso_bundle", HERE / "layso" / "bundle.py")
bundle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bundle)


class BuildWithBundle(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the checkout
        for kind, files in bundle.KINDS.items():
            target = Path(self.build_lib) / "layso" / "_bundled" / kind
            target.mkdir(parents=True, exist_ok=True)
            for name, source in files.items():
                path = HERE / source
                if not path.is_file():
                    raise SystemExit(f"setup.py: {source} is missing: run scripts/setup (npm ci) before building")
                shutil.copyfile(path, target / name)


setup(cmdclass={"build_py": BuildWithBundle})
