"""Field encryption, AES-256-GCM from the ``cryptography`` package, in the JS SDK's format:
``ca1.<keyId>.<iv>.<ciphertext+tag>`` (base64url, no padding), AAD ``ca1.<keyId>.<context>``. A value written by
one SDK decrypts with the other. Keys: ``COMPLIANCEAGENT_ENCRYPTION_KEYS`` (``id:base64key,…``, the first
encrypts) or a key provider (``active_key_id()`` and ``get_key(id)``). Rotation: put the new key first and keep the
old one; old values decrypt with the key id they name, :func:`reencrypt_value` moves one over.
"""

from __future__ import annotations

import base64
import os
import re
from typing import Any, Dict, Mapping, Optional, Union

KEYS_ENV = "COMPLIANCEAGENT_ENCRYPTION_KEYS"
_PREFIX = "ca1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class EncryptionUnavailable(RuntimeError):
    pass


class DecryptionError(ValueError):
    pass


def _aesgcm(key: bytes) -> Any:
    try:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise EncryptionUnavailable("field encryption needs the 'cryptography' package: pip install cryptography") from error
    return AESGCM(key)


class StaticKeyProvider:
    def __init__(self, active: str, keys: Mapping[str, Union[str, bytes]]) -> None:
        self._keys: Dict[str, bytes] = {}
        for key_id, material in keys.items():
            if not _KEY_ID.match(key_id):
                raise ValueError(f"key id '{key_id}' must be 1-64 letters, digits, '-' or '_'")
            raw = base64.b64decode(material) if isinstance(material, str) else bytes(material)
            if len(raw) != 32:
                raise ValueError(f"encryption key '{key_id}' must be 32 bytes (AES-256), got {len(raw)}")
            self._keys[key_id] = raw
        if active not in self._keys:
            raise ValueError(f"the active key '{active}' is not among the keys")
        self._active = active

    def active_key_id(self) -> str:
        return self._active

    def get_key(self, key_id: str) -> Optional[bytes]:
        return self._keys.get(key_id)


def env_key_provider(variable: str = KEYS_ENV, env: Optional[Mapping[str, str]] = None) -> StaticKeyProvider:
    raw = (os.environ if env is None else env).get(variable)
    if not raw:
        raise ValueError(f"{variable} is not set (expected id:base64key[,id:base64key...], 32-byte keys)")
    entries = []
    for part in raw.split(","):
        key_id, sep, material = part.partition(":")
        if not sep or not key_id.strip():
            raise ValueError(f"{variable}: each entry is id:base64key")
        entries.append((key_id.strip(), material.strip()))
    return StaticKeyProvider(entries[0][0], dict(entries))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _provider(keys: Any) -> Any:
    return keys if keys is not None else env_key_provider()


def key_id_of(token: str) -> Optional[str]:
    parts = token.split(".") if isinstance(token, str) else []
    return parts[1] if len(parts) == 4 and parts[0] == _PREFIX and _KEY_ID.match(parts[1]) else None


def encrypt_value(value: str, keys: Any = None, context: str = "") -> str:
    """Encrypts a string with the active key; the token names the key id."""
    if not isinstance(value, str):
        raise TypeError("encrypt_value encrypts strings (serialise other values first)")
    provider = _provider(keys)
    key_id = provider.active_key_id()
    key = provider.get_key(key_id)
    if key is None or not _KEY_ID.match(key_id):
        raise ValueError(f"no usable active encryption key '{key_id}'")
    iv = os.urandom(12)
    sealed = _aesgcm(key).encrypt(iv, value.encode("utf-8"), f"{_PREFIX}.{key_id}.{context}".encode("utf-8"))
    return f"{_PREFIX}.{key_id}.{_b64(iv)}.{_b64(sealed)}"


def decrypt_value(token: str, keys: Any = None, context: str = "") -> str:
    """Decrypts with the key the token names; raises DecryptionError on a wrong key or any change to the token."""
    key_id = key_id_of(token)
    if key_id is None:
        raise DecryptionError("not an encrypted field value (expected ca1.<keyId>.<iv>.<data>)")
    key = _provider(keys).get_key(key_id)
    if key is None:
        raise DecryptionError(f"unknown encryption key id '{key_id}'")
    _, _, iv_text, data_text = token.split(".")
    try:
        iv, sealed = _unb64(iv_text), _unb64(data_text)
    except ValueError as error:
        raise DecryptionError("encrypted field value is not base64url") from error
    if len(iv) != 12 or len(sealed) < 16:
        raise DecryptionError("encrypted field value is truncated")
    try:
        plain = _aesgcm(key).decrypt(iv, sealed, f"{_PREFIX}.{key_id}.{context}".encode("utf-8"))
    except EncryptionUnavailable:
        raise
    except Exception as error:
        raise DecryptionError(f"encrypted field value does not authenticate with key '{key_id}' (wrong key, wrong context, or the value was changed)") from error
    return plain.decode("utf-8")


def reencrypt_value(token: str, keys: Any = None, context: str = "") -> str:
    provider = _provider(keys)
    if key_id_of(token) == provider.active_key_id():
        return token
    return encrypt_value(decrypt_value(token, provider, context), provider, context)


def encrypt_field(impl: Any = None, keys: Any = None, context: str = "") -> Any:
    """``Column(encrypt_field(String))``: an SQLAlchemy ``TypeDecorator`` that stores the column encrypted.

    SQLAlchemy is imported here, not with the package. Values are encrypted on the way in and decrypted on the
    way out; ``None`` stays NULL. Keys are read when a value is first written or read, not at import.
    """
    try:
        import sqlalchemy.types as sa_types
    except ImportError as error:
        raise EncryptionUnavailable("encrypt_field(...) is an SQLAlchemy column type: pip install sqlalchemy") from error
    base = impl if impl is not None else sa_types.String
    base_cls = base if isinstance(base, type) else type(base)

    class EncryptedField(sa_types.TypeDecorator):  # type: ignore[misc, valid-type]
        impl = sa_types.Text if issubclass(base_cls, sa_types.Text) else sa_types.String
        cache_ok = True

        def process_bind_param(self, value: Any, dialect: Any) -> Any:
            return None if value is None else encrypt_value(str(value), keys, context)

        def process_result_value(self, value: Any, dialect: Any) -> Any:
            return None if value is None else decrypt_value(value, keys, context)

    return EncryptedField()
