import asyncio
import json
import os
import tempfile
import unittest

import _path  # noqa: F401  (puts the source tree on sys.path)
from complianceagent import MemorySink, audit_context, audit_log, configure, file_sink, verify_audit_log
from complianceagent import _config


class AuditLogTest(unittest.TestCase):
    def setUp(self):
        self.saved = (_config.settings.regulations, _config.settings.sink)

    def tearDown(self):
        _config.settings.regulations, _config.settings.sink = self.saved

    def test_the_documents_example_writes_one_event_per_call_without_argument_values(self):
        sink = MemorySink()
        configure(regulations=["SOC2"], sink=sink)

        @audit_log(action="data_access", regulation="SOC2")
        async def get_customer_data(customer_id: str):
            return {"id": customer_id, "ssn": "123-45-6789"}

        with audit_context(actor="alice", request_id="req-1"):
            self.assertEqual(asyncio.run(get_customer_data("c-42"))["id"], "c-42")
        self.assertEqual(len(sink.events), 1)
        event = sink.events[0]
        self.assertEqual(
            {k: event[k] for k in ("action", "actor", "resource", "outcome", "requestId", "regulation")},
            {"action": "data_access", "actor": "alice", "resource": get_customer_data.__qualname__, "outcome": "success", "requestId": "req-1", "regulation": "SOC2"},
        )
        self.assertRegex(event["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertNotIn("c-42", json.dumps(sink.events))

    def test_failures_positional_action_bare_decorator_and_allow_list(self):
        sink = MemorySink()
        configure(sink=sink)

        @audit_log("admin_action")
        def admin_operation(password: str):
            raise KeyError("the message may hold data")

        @audit_log
        def export(fmt: str, ssn: str):
            return fmt

        @audit_log(action="export", allow_args=["fmt"], resource=lambda fmt, ssn: f"export:{fmt}")
        def export_allowed(fmt: str, ssn: str):
            return fmt

        with self.assertRaises(KeyError):
            admin_operation("hunter2")
        export("csv", "078-05-1120")
        export_allowed("pdf", ssn="078-05-1120")
        failed, bare, allowed = sink.events
        self.assertEqual((failed["action"], failed["outcome"], failed["error"]), ("admin_action", "failure", "KeyError"))
        self.assertEqual((bare["action"], bare["outcome"]), ("export", "success"))
        self.assertEqual((allowed["args"], allowed["resource"]), ({"fmt": "pdf"}, "export:pdf"))
        written = json.dumps(sink.events)
        for value in ("hunter2", "078-05-1120", "the message"):
            self.assertNotIn(value, written)


class HashChainTest(unittest.TestCase):
    def test_a_chained_file_verifies_and_tampering_is_detected(self):
        path = os.path.join(tempfile.mkdtemp(), "audit.log")
        first = audit_log(action="login", sink=file_sink(path, chain=True))(lambda: None)
        first()
        first()
        audit_log(action="logout", sink=file_sink(path, chain=True))(lambda: None)()  # a second writer continues the chain
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        self.assertEqual(oct(os.stat(path).st_mode & 0o777), "0o600")
        result = verify_audit_log(text)
        self.assertTrue(result["ok"], result["problems"])
        self.assertEqual(result["events"], 3)
        lines = text.splitlines()
        modified = "\n".join([lines[0], lines[1].replace('"success"', '"failure"'), lines[2]])
        self.assertEqual(verify_audit_log(modified)["problems"], [{"line": 2, "reason": "hash does not match the content (the line was modified)"}])
        self.assertFalse(verify_audit_log("\n".join([lines[0], lines[2]]))["ok"])
        self.assertFalse(verify_audit_log("\n".join(lines[:2]), expect_head=result["head"])["ok"])

    def test_a_keyed_chain_needs_the_key(self):
        path = os.path.join(tempfile.mkdtemp(), "keyed.log")
        audit_log(action="login", sink=file_sink(path, chain_key="k3y"))(lambda: None)()
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        self.assertTrue(verify_audit_log(text, key="k3y")["ok"])
        self.assertFalse(verify_audit_log(text)["ok"])


if __name__ == "__main__":
    unittest.main()
