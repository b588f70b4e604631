"""A bare FastAPI app answering ``GET /health`` with the same body as Resumate, served by
uvicorn with the same settings as ``resumate serve`` (the baseline of bench_health.py).

    python benchmarks/_bare_app.py --port 8001
"""

from __future__ import annotations

import argparse
import os

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    # The keyword arguments of resumate.cli._run_uvicorn, so only the app differs.
    uvicorn.run(
        "_bare_app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        reload=False,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        app_dir=os.path.dirname(os.path.abspath(__file__)),
    )


if __name__ == "__main__":
    main()
