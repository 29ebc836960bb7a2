"""ComplianceAgent SDK for Python: audit logging with an optional hash chain, role-based access control and
AES-256-GCM field encryption — the fixes the complianceagent scanner recommends, with the API of its SOC 2 guide::

    from complianceagent import audit_log, access_control, configure, encrypt_field

    configure(regulations=["SOC2"])

    @audit_log(action="data_access", regulation="SOC2")
    async def get_customer_data(customer_id: str): ...

    @access_control(roles=["admin", "support"])
    async def view_audit_logs(start_date: str, end_date: str): ...

No dependency: ``cryptography`` (field encryption) and SQLAlchemy (``encrypt_field`` as a column type) are used
when installed.
"""

from ._access import AccessDenied, access_control
from ._audit import audit_log, record_event
from ._chain import canonical_json, verify_audit_log
from ._config import MemorySink, audit_context, configure, current_context, file_sink, stdout_sink
from ._encryption import (
    KEYS_ENV,
    DecryptionError,
    EncryptionUnavailable,
    StaticKeyProvider,
    decrypt_value,
    encrypt_field,
    encrypt_value,
    env_key_provider,
    key_id_of,
    reencrypt_value,
)

__version__ = "0.1.0"

__all__ = [
    "AccessDenied",
    "DecryptionError",
    "EncryptionUnavailable",
    "KEYS_ENV",
    "MemorySink",
    "StaticKeyProvider",
    "access_control",
    "audit_context",
    "audit_log",
    "canonical_json",
    "configure",
    "current_context",
    "decrypt_value",
    "encrypt_field",
    "encrypt_value",
    "env_key_provider",
    "file_sink",
    "key_id_of",
    "record_event",
    "reencrypt_value",
    "stdout_sink",
    "verify_audit_log",
]
