"""Run the local SATUSEHAT stand-in (interop.stub) for trying the sending page.

    SATUSEHAT_STUB_SECRET=... manage.py satusehat_stub --port 8099 --client-id ID

Then set the Puskesmas's SATUSEHAT settings to "Alamat lain" with
http://127.0.0.1:8099/oauth2/v1 and http://127.0.0.1:8099/fhir-r4/v1. Type
"down" + Enter to answer 503 to every Bundle, "up" to recover, "429" to answer
one 429, "q" to stop.
"""

import os
import sys

from django.core.management.base import BaseCommand

from interop.stub import StubSatusehat


class Command(BaseCommand):
    help = "Run a local SATUSEHAT stub (token + transaction endpoints) on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8099)
        parser.add_argument("--client-id", default="client-a")

    def handle(self, *args, **opts):
        secret = os.environ.get("SATUSEHAT_STUB_SECRET", "rahasia-stub")
        stub = StubSatusehat(client_id=opts["client_id"], client_secret=secret).start(opts["port"])
        self.stdout.write(f"Stub SATUSEHAT di {stub.base} (oauth2: {stub.auth_url}, "
                          f"FHIR: {stub.fhir_url}). Perintah: down, up, 429, q.")
        try:
            if not sys.stdin.isatty():  # run in the background: serve until stopped
                import threading

                threading.Event().wait()
            for line in sys.stdin:
                cmd = line.strip().lower()
                if cmd == "q":
                    break
                if cmd == "down":
                    stub.down = True
                elif cmd == "up":
                    stub.down = False
                elif cmd == "429":
                    stub.script.append(429)
                self.stdout.write(f"down={stub.down} bundles={len(stub.bundles)} "
                                  f"resources={len(stub.resources)}")
        except KeyboardInterrupt:
            pass
        finally:
            stub.stop()
