"""A small SATUSEHAT HTTP client: OAuth2 client-credentials token kept until it
expires, and the transaction Bundle POST with retry and back-off on 429 and
5xx (and on a broken connection). Standard library only.

Never logs or raises with the client secret or the token in the message.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

from django.utils import timezone

log = logging.getLogger(__name__)

TOKEN_MARGIN = timedelta(seconds=60)  # renew a minute before SATUSEHAT's expiry
DEFAULT_EXPIRES_IN = 3599
MAX_RETRY_AFTER = 60.0


class SatusehatError(Exception):
    """A failure with a reason in Indonesian for the staff page."""

    def __init__(self, reason: str, *, status: int | None = None, retryable: bool = False):
        super().__init__(reason)
        self.reason, self.status, self.retryable = reason, status, retryable


def _outcome_text(body: bytes) -> str:
    """The diagnostics of an OperationOutcome, or the start of the body."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return body[:200].decode("utf-8", "replace")
    if isinstance(data, dict) and data.get("resourceType") == "OperationOutcome":
        parts = []
        for issue in data.get("issue", []):
            text = issue.get("diagnostics") or (issue.get("details") or {}).get("text") or ""
            parts.append(f"{issue.get('code', '')}: {text}".strip(": "))
        return "; ".join(parts)[:500]
    return json.dumps(data)[:200]


class Client:
    def __init__(self, settings, *, sleep=None, max_attempts: int = 5,
                 base_delay: float = 1.0, timeout: float = 30.0):
        self.settings = settings
        self.sleep = sleep or (lambda seconds: time.sleep(seconds))
        self.max_attempts = max_attempts
        self.base_delay, self.timeout = base_delay, timeout

    # --- token ------------------------------------------------------------------------------

    def token(self, *, force: bool = False) -> str:
        s = self.settings
        if (not force and s.access_token and s.token_expires_at
                and s.token_expires_at - TOKEN_MARGIN > timezone.now()):
            return s.access_token
        secret = s.secret()
        if not s.client_id or not secret:
            raise SatusehatError(
                "Client ID atau client secret SATUSEHAT belum diisi (cek pengaturan dan "
                "variabel lingkungan)."
            )
        url = f"{s.auth_url}/accesstoken?grant_type=client_credentials"
        form = urllib.parse.urlencode({"client_id": s.client_id, "client_secret": secret})
        status, body = self._request("POST", url, form.encode(),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 200:
            raise SatusehatError(
                f"Gagal mendapat token SATUSEHAT (HTTP {status}): {_outcome_text(body)}. "
                "Periksa client ID dan client secret.", status=status,
                retryable=status == 429 or status >= 500,
            )
        try:
            data = json.loads(body)
            token = data["access_token"]
            expires_in = int(data.get("expires_in") or DEFAULT_EXPIRES_IN)
        except (ValueError, KeyError, TypeError):
            raise SatusehatError("Jawaban token SATUSEHAT tidak bisa dibaca.") from None
        s.access_token = token
        s.token_expires_at = timezone.now() + timedelta(seconds=expires_in)
        if s.pk:
            type(s).objects.filter(pk=s.pk).update(
                access_token=s.access_token, token_expires_at=s.token_expires_at
            )
        return token

    # --- bundle -------------------------------------------------------------------------------

    def post_bundle(self, bundle: dict) -> dict:
        """POST a transaction Bundle; the transaction-response Bundle."""
        body = json.dumps(bundle).encode("utf-8")
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            headers = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json",
                       "Authorization": f"Bearer {self.token()}"}
            status, data, retry_after = self._request(
                "POST", self.settings.fhir_url, body, headers, with_retry_after=True
            )
            if status == 401 and not refreshed:  # token revoked or expired early
                refreshed = True
                self.token(force=True)
                attempt -= 1
                continue
            if status in (200, 201):
                try:
                    return json.loads(data)
                except ValueError:
                    raise SatusehatError("Jawaban SATUSEHAT tidak bisa dibaca.",
                                         status=status) from None
            retryable = status == 429 or status >= 500 or status == 0
            reason = self._reason(status, data)
            if not retryable or attempt >= self.max_attempts:
                raise SatusehatError(reason, status=status or None, retryable=retryable)
            delay = self.base_delay * 2 ** (attempt - 1)
            if retry_after is not None:
                delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
            log.info("SATUSEHAT HTTP %s, retry %s in %.1fs", status, attempt, delay)
            self.sleep(delay)

    @staticmethod
    def _reason(status: int, body: bytes) -> str:
        if status == 0:
            return f"Server SATUSEHAT tidak bisa dihubungi ({body.decode('utf-8', 'replace')})."
        if status == 429:
            return "SATUSEHAT menolak karena terlalu banyak kiriman (HTTP 429); coba lagi nanti."
        if status >= 500:
            return f"Server SATUSEHAT sedang bermasalah (HTTP {status}); coba lagi nanti."
        return f"SATUSEHAT menolak kiriman (HTTP {status}): {_outcome_text(body)}"

    def _request(self, method, url, body, headers, *, with_retry_after=False):
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        retry_after = None
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, data = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, data = exc.code, exc.read()
            value = exc.headers.get("Retry-After") if exc.headers else None
            try:
                retry_after = float(value) if value is not None else None
            except ValueError:
                retry_after = None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            status, data = 0, str(reason).encode()
        if with_retry_after:
            return status, data, retry_after
        if status == 0:
            raise SatusehatError(self._reason(0, data), retryable=True)
        return status, data
