"""`python -m hubctl.emulator --repo PATH [--branch B] [--port P] [--speed S] [--fault ...] [--kubeconfig F]`."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    from hubctl.emulator.faults import FAULT_HELP

    parser = argparse.ArgumentParser(prog="python -m hubctl.emulator", description=__doc__)
    parser.add_argument("--repo", required=True, help="the Git repository holding the rendered hub")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--path", default="rendered", help="the render directory inside the repository")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--namespace", default="argocd")
    parser.add_argument("--speed", type=float, default=1.0, help="seconds per rollout stage")
    parser.add_argument("--fault", action="append", default=[], help=FAULT_HELP)
    parser.add_argument("--kubeconfig", help="write a kubeconfig for the emulator to this file (0600)")
    args = parser.parse_args(argv)
    from hubctl.base.errors import HubctlError
    from hubctl.emulator.serve import serve_until_interrupted

    try:
        return _serve(serve_until_interrupted, args)
    except HubctlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return int(exc.exit_code)


def _serve(serve_until_interrupted, args) -> int:
    return serve_until_interrupted(args.repo, args.branch, args.port, args.namespace, args.speed, args.fault,
                                  path=args.path, kubeconfig=args.kubeconfig)


if __name__ == "__main__":
    sys.exit(main())
