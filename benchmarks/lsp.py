"""Language server latency: time from a change to a one-page draft to its diagnostics, the model loaded.

    python -m benchmarks.lsp            # median of 10 changes and 10 saves
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.lsp_client import Client
from phiguard.lsp import DEBOUNCE

RUNS = 10
PARAGRAPH = ("Our patient John Smith, MRN 12345678, was discharged from room 4B today. The team celebrated with "
             "cake and a short walk around the garden before the evening shift, and the night nurses sent a card. ")
PAGE = "# Discharge day\n\n" + "\n\n".join([PARAGRAPH * 3] * 5) + "\n"  # about 3,000 characters, 500 words


def main() -> None:
    root = Path(tempfile.mkdtemp())
    uri = (root / "page.md").as_uri()
    client = Client(cwd=root)
    try:
        client.initialize(root)
        t0 = time.perf_counter()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                                "text": PAGE}})
        found = client.diagnostics(uri, version=1, timeout=120)
        print(f"first diagnostics after open (model loading): {time.perf_counter() - t0:.2f} s, {len(found)} findings")
        changes, saves = [], []
        version = 1
        for i in range(RUNS):
            version += 1
            t0 = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [{"text": PAGE + f"Edit {i}.\n"}]})
            client.diagnostics(uri, version=version)
            changes.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})  # no debounce
            client.diagnostics(uri, version=version)
            saves.append(time.perf_counter() - t0)
        change, save = statistics.median(changes) * 1000, statistics.median(saves) * 1000
        print(f"{len(PAGE)} characters, median of {RUNS}:")
        print(f"  didChange -> publishDiagnostics: {change:.0f} ms ({DEBOUNCE * 1000:.0f} ms of it the debounce)")
        print(f"  didSave   -> publishDiagnostics: {save:.0f} ms (scan and protocol, no debounce)")
        client.close()
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


if __name__ == "__main__":
    main()
