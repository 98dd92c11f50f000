"""Reminder messages for a service day, in Bahasa Indonesia. Pure: no database.

Nothing is sent: the page shows each text to copy and a ``wa.me`` link that
opens WhatsApp with the text filled in, for the kader to send herself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]


def tanggal(d: date) -> str:
    """date(2026, 5, 12) -> "Selasa, 12 Mei 2026"."""
    return f"{HARI[d.weekday()]}, {d.day} {BULAN[d.month - 1]} {d.year}"


def normalise_phone(raw: str | None) -> str | None:
    """An Indonesian mobile number in the international form wa.me wants
    ("6281234567890"), or None when it is not a usable number.

    "0812-3456-7890", "+62 812 3456 7890", "62812..." and "812..." all give
    "6281234567890". Separators (spaces, dots, dashes, brackets) are dropped.
    A mobile number is 8 followed by 8 to 11 digits after the country code;
    anything else (letters, landlines, too short or long) is refused."""
    if not raw:
        return None
    text = re.sub(r"[\s.\-()/]", "", str(raw))
    if text.startswith("+"):
        text = text[1:]
    if not text.isdigit():
        return None
    if text.startswith("0"):
        text = "62" + text[1:]
    elif text.startswith("8"):
        text = "62" + text
    if not text.startswith("62"):
        return None
    national = text[2:]
    if not national.startswith("8") or not 9 <= len(national) <= 12:
        return None  # not a mobile number (WhatsApp needs one)
    return text


def wa_link(phone: str | None, text: str) -> str | None:
    """https://wa.me/<number>?text=<message>, or None without a usable number."""
    number = normalise_phone(phone)
    if number is None:
        return None
    return f"https://wa.me/{number}?text={quote(text, safe='')}"


def wa_share_link(text: str) -> str:
    """A wa.me link without a number: WhatsApp asks where to send it (the group)."""
    return f"https://wa.me/?text={quote(text, safe='')}"


@dataclass(frozen=True)
class Reminder:
    name: str  # the sasaran
    addressee: str  # who the message is for (the mother of a child)
    phone: str | None
    due: tuple[str, ...]  # what is due, in words
    text: str
    link: str | None


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " dan " + items[-1]


def person_message(
    *, posyandu: str, on: date, place: str, name: str, addressee: str, is_child: bool,
    due: Iterable[str],
) -> str:
    """The message for one person (or a child's mother)."""
    due = [d[:1].lower() + d[1:] for d in due]
    greeting = f"Ibu/Bapak {addressee}" if addressee else "Ibu/Bapak"
    who = f"ananda {name}" if is_child else "Ibu/Bapak"
    lines = [
        f"Salam sehat, {greeting}.",
        f"Kami kader {posyandu} mengingatkan: hari buka posyandu {tanggal(on)}"
        + (f" di {place}" if place else "") + ".",
    ]
    if due:
        lines.append(f"Untuk {who}: {_join(due)}.")
    lines.append("Mohon membawa buku KIA/KMS. Terima kasih.")
    return "\n".join(lines)


def group_message(
    *, posyandu: str, on: date, place: str, counts: dict[str, int],
) -> str:
    """The message for the posyandu's WhatsApp group: the day, the place and
    what is offered, with counts only (no names or health details in a group)."""
    lines = [
        f"Pengingat {posyandu}",
        f"Hari buka posyandu: {tanggal(on)}" + (f", {place}" if place else "") + ".",
    ]
    offered = [f"{label} ({n} orang)" for label, n in counts.items() if n]
    if offered:
        lines.append("Layanan: " + "; ".join(offered) + ".")
    lines.append("Ajak balita, ibu hamil, remaja, dewasa dan lansia datang. "
                 "Bawa buku KIA/KMS. Terima kasih.")
    return "\n".join(lines)
