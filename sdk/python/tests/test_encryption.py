import base64
import importlib.util
import os
import unittest

import _path  # noqa: F401  (puts the source tree on sys.path)
from complianceagent import DecryptionError, StaticKeyProvider, decrypt_value, encrypt_field, encrypt_value, env_key_provider, key_id_of, reencrypt_value

HAS_CRYPTOGRAPHY = importlib.util.find_spec("cryptography") is not None
HAS_SQLALCHEMY = importlib.util.find_spec("sqlalchemy") is not None
K1 = base64.b64encode(os.urandom(32)).decode()
K2 = base64.b64encode(os.urandom(32)).decode()


@unittest.skipUnless(HAS_CRYPTOGRAPHY, "field encryption tests need the 'cryptography' package (pip install cryptography); skipped")
class EncryptionTest(unittest.TestCase):
    def test_round_trip_with_a_key_id_per_value(self):
        keys = StaticKeyProvider("k1", {"k1": K1})
        a, b = encrypt_value("123-45-6789", keys), encrypt_value("123-45-6789", keys)
        self.assertNotEqual(a, b)
        self.assertNotIn("123-45-6789", a)
        self.assertEqual(key_id_of(a), "k1")
        self.assertEqual(decrypt_value(a, keys), "123-45-6789")

    def test_wrong_key_changed_ciphertext_other_context_and_unknown_key_are_rejected(self):
        keys = StaticKeyProvider("k1", {"k1": K1})
        token = encrypt_value("secret", keys, context="customers.ssn")
        with self.assertRaisesRegex(DecryptionError, "does not authenticate"):
            decrypt_value(token, StaticKeyProvider("k1", {"k1": K2}), context="customers.ssn")
        prefix, kid, iv, data = token.split(".")
        raw = bytearray(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
        raw[0] ^= 1
        changed = ".".join([prefix, kid, iv, base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()])
        with self.assertRaisesRegex(DecryptionError, "does not authenticate"):
            decrypt_value(changed, keys, context="customers.ssn")
        with self.assertRaisesRegex(DecryptionError, "does not authenticate"):
            decrypt_value(token, keys, context="customers.tax_id")
        with self.assertRaisesRegex(DecryptionError, "unknown encryption key id 'k9'"):
            decrypt_value(token.replace("ca1.k1.", "ca1.k9."), keys)

    def test_rotation(self):
        old = encrypt_value("tax-9", StaticKeyProvider("k1", {"k1": K1}))
        after = env_key_provider("KEYS", {"KEYS": f"k2:{K2},k1:{K1}"})
        self.assertEqual(decrypt_value(old, after), "tax-9")
        self.assertEqual(key_id_of(encrypt_value("x", after)), "k2")
        moved = reencrypt_value(old, after)
        self.assertEqual(key_id_of(moved), "k2")
        self.assertEqual(decrypt_value(moved, StaticKeyProvider("k2", {"k2": K2})), "tax-9")
        with self.assertRaisesRegex(ValueError, "32 bytes"):
            env_key_provider("KEYS", {"KEYS": "k1:c2hvcnQ="})


@unittest.skipUnless(HAS_CRYPTOGRAPHY and HAS_SQLALCHEMY, "encrypt_field(String) tests need SQLAlchemy and cryptography (pip install sqlalchemy cryptography); skipped")
class EncryptFieldColumnTest(unittest.TestCase):
    def test_the_documents_customer_model_stores_ciphertext_and_reads_plaintext(self):
        import sqlalchemy as sa
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()
        keys = StaticKeyProvider("k1", {"k1": K1})

        class Customer(Base):
            __tablename__ = "customers"
            id = sa.Column(sa.Integer, primary_key=True)
            name = sa.Column(sa.String)
            ssn = sa.Column(encrypt_field(sa.String, keys=keys))

        engine = sa.create_engine("sqlite://")
        Base.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(sa.insert(Customer.__table__).values(id=1, name="Ada", ssn="123-45-6789"))
            stored = conn.execute(sa.text("SELECT ssn FROM customers")).scalar()
            self.assertTrue(stored.startswith("ca1.k1."))
            self.assertEqual(conn.execute(sa.select(Customer.__table__.c.ssn)).scalar(), "123-45-6789")


class WithoutOptionalPackagesTest(unittest.TestCase):
    @unittest.skipIf(HAS_SQLALCHEMY, "SQLAlchemy is installed")
    def test_encrypt_field_says_what_to_install(self):
        with self.assertRaisesRegex(RuntimeError, "pip install sqlalchemy"):
            encrypt_field()


if __name__ == "__main__":
    unittest.main()
