import asyncio
import unittest

import _path  # noqa: F401  (puts the source tree on sys.path)
from complianceagent import AccessDenied, MemorySink, access_control, audit_context, audit_log


class User:
    def __init__(self, id, roles):
        self.id = id
        self.roles = roles


class AccessControlTest(unittest.TestCase):
    def test_the_documents_example_denies_with_403_and_records_the_decision(self):
        sink = MemorySink()

        @access_control(roles=["admin", "support"], sink=sink)
        async def view_audit_logs(start_date: str, end_date: str, current_user=None):
            return [start_date, end_date]

        with self.assertRaises(AccessDenied) as denied:
            asyncio.run(view_audit_logs("2024-01-01", "2024-12-31", current_user=User(7, ["viewer"])))
        self.assertEqual(denied.exception.status_code, 403)
        self.assertIsInstance(denied.exception, PermissionError)
        self.assertEqual(asyncio.run(view_audit_logs("a", "b", current_user=User(8, ["support"]))), ["a", "b"])
        with self.assertRaises(AccessDenied) as anonymous:
            asyncio.run(view_audit_logs("a", "b"))
        self.assertEqual(anonymous.exception.status_code, 401)
        self.assertEqual([(e["outcome"], e["actor"]) for e in sink.events], [("denied", "7"), ("allowed", "8"), ("denied", None)])
        self.assertEqual(sink.events[0]["reason"], "none of the roles admin, support")
        self.assertEqual(sink.events[0]["roles"], ["admin", "support"])

    def test_user_from_the_context_a_dict_user_and_the_actor_passed_on_to_audit_events(self):
        sink = MemorySink()

        @access_control(roles=["admin"], sink=sink)
        @audit_log(action="admin_action", sink=sink)
        def admin_operation():
            return "done"

        with audit_context(user={"id": "u1", "role": "admin"}):
            self.assertEqual(admin_operation(), "done")
        with audit_context(user={"id": "u2", "role": "guest"}):
            self.assertRaises(AccessDenied, admin_operation)
        self.assertEqual([(e["action"], e["outcome"], e["actor"]) for e in sink.events], [
            ("access_control", "allowed", "u1"),
            ("admin_action", "success", "u1"),
            ("access_control", "denied", "u2"),
        ])
        with self.assertRaises(ValueError):
            access_control(roles=[])

    def test_an_anonymous_user_object_is_not_authenticated(self):
        class Anonymous:
            is_authenticated = False
            roles = ["admin"]

        guarded = access_control(roles=["admin"], get_user=lambda: Anonymous(), sink=MemorySink())(lambda: "done")
        with self.assertRaises(AccessDenied) as denied:
            guarded()
        self.assertEqual(denied.exception.status_code, 401)


if __name__ == "__main__":
    unittest.main()
