"""A minimal PEP 517/660 build backend (standard library only), so ``pip install ./sdk/python`` needs nothing
from a package index: it writes a pure-Python wheel of the ``complianceagent`` package and an sdist."""

import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = "complianceagent"
VERSION = "0.1.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST_INFO = f"{NAME}-{VERSION}.dist-info"

METADATA = f"""Metadata-Version: 2.1
Name: {NAME}
Version: {VERSION}
Summary: ComplianceAgent SDK: audit logging with a hash chain, role-based access control, AES-256-GCM field encryption
License: MIT
Requires-Python: >=3.8
Provides-Extra: encryption
Requires-Dist: cryptography>=3.4; extra == "encryption"
Provides-Extra: sqlalchemy
Requires-Dist: sqlalchemy>=1.4; extra == "sqlalchemy"
Requires-Dist: cryptography>=3.4; extra == "sqlalchemy"
"""

WHEEL = f"""Wheel-Version: 1.0
Generator: {NAME}-build-backend
Root-Is-Purelib: true
Tag: py3-none-any
"""


def _package_files():
    package = os.path.join(ROOT, NAME)
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            yield f"{NAME}/{name}", os.path.join(package, name)


def _write_wheel(directory, files):
    filename = f"{NAME}-{VERSION}-py3-none-any.whl"
    records = []
    with zipfile.ZipFile(os.path.join(directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        for arcname, data in files:
            wheel.writestr(arcname, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append(f"{arcname},sha256={digest},{len(data)}")
        records.append(f"{DIST_INFO}/RECORD,,")
        wheel.writestr(f"{DIST_INFO}/RECORD", "\n".join(records) + "\n")
    return filename


def _meta_files():
    return [(f"{DIST_INFO}/METADATA", METADATA.encode()), (f"{DIST_INFO}/WHEEL", WHEEL.encode())]


def get_requires_for_build_wheel(config_settings=None):
    return []


get_requires_for_build_sdist = get_requires_for_build_wheel
get_requires_for_build_editable = get_requires_for_build_wheel


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    target = os.path.join(metadata_directory, DIST_INFO)
    os.makedirs(target, exist_ok=True)
    for arcname, data in _meta_files():
        with open(os.path.join(metadata_directory, arcname), "wb") as handle:
            handle.write(data)
    return DIST_INFO


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = []
    for arcname, path in _package_files():
        with open(path, "rb") as handle:
            files.append((arcname, handle.read()))
    return _write_wheel(wheel_directory, files + _meta_files())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # A .pth file that puts the source folder on sys.path.
    return _write_wheel(wheel_directory, [(f"{NAME}.pth", (ROOT + "\n").encode())] + _meta_files())


def build_sdist(sdist_directory, config_settings=None):
    base = f"{NAME}-{VERSION}"
    filename = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as sdist:
        for relative in ["pyproject.toml", "README.md", "build_backend/backend.py"] + [a for a, _ in _package_files()]:
            path = os.path.join(ROOT, relative)
            if os.path.exists(path):
                sdist.add(path, arcname=f"{base}/{relative}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = METADATA.encode()
        info.size = len(data)
        sdist.addfile(info, io.BytesIO(data))
    return filename
