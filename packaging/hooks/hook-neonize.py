"""PyInstaller hook for neonize (no contrib hook exists).

1. The Go library ships inside the wheel as neonize/neonize-<os>-<arch>.<so|dll|dylib>. neonize
   loads it from its own folder and, when it is missing, tries to download it from the internet
   (which fails offline), so the bundle must carry it in `neonize/`.
2. neonize/proto/__init__.py puts its own folder on sys.path and the generated modules import
   each other as top-level packages (`from waAdv import ...`). PyInstaller cannot see those as
   part of neonize, so the folder is also shipped as plain files including the .py sources;
   the path finder then imports them from `_internal/neonize/proto/`.
"""

from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, get_package_paths

_, package_dir = get_package_paths("neonize")

binaries = []
for pattern in ("neonize-*.so", "neonize-*.dll", "neonize-*.dylib"):
    binaries += [(str(path), "neonize") for path in Path(package_dir).glob(pattern)]
if not binaries:
    raise SystemExit(f"hook-neonize: no bundled Go library in {package_dir}; reinstall neonize "
                     "from a wheel for this platform")

datas = collect_data_files("neonize", subdir="proto", include_py_files=True,
                           excludes=["**/__pycache__", "**/*.pyi"])

hiddenimports = collect_submodules("neonize", filter=lambda name: not name.startswith(
    "neonize.proto."))
# python-magic (imported by neonize) finds the system's libmagic through ctypes at run time.
hiddenimports += ["magic"]
