"""``python -m complianceagent verify FILE [--key-env VAR]``: the hash chain check of ``complianceagent audit verify``."""

import argparse
import os
import sys

from ._chain import verify_audit_log


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m complianceagent")
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="verify the hash chain of an audit log")
    verify.add_argument("file")
    verify.add_argument("--key-env", help="environment variable holding the chain key")
    args = parser.parse_args(argv)
    key = os.environ.get(args.key_env) if args.key_env else None
    if args.key_env and not key:
        print(f"{args.key_env} is not set", file=sys.stderr)
        return 2
    with open(args.file, encoding="utf-8") as handle:
        result = verify_audit_log(handle.read(), key=key)
    if result["ok"]:
        print(f"{args.file}: {result['events']} events, hash chain intact; head {result['head']}")
        return 0
    print(f"{args.file}: hash chain broken")
    for problem in result["problems"]:
        print(f"  line {problem['line']}: {problem['reason']}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
