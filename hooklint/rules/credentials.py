"""Credentials written as literals: names that name one, values that look like one, and where a text holds them."""

from __future__ import annotations

import re
from collections.abc import Iterator

# A name names a credential when its last word is one; `TOKEN_FILE`, `SECRET_NAME` name a location.
_CREDENTIAL_WORD = re.compile(r"pass(?:word|wd|phrase)?|secrets?|tokens?|credentials?|apikey|privatekey")
_CREDENTIAL_END = re.compile(r".+(?:password|passwd|passphrase|secret|token|apikey|privatekey)")
_KEY_QUALIFIERS = frozenset({"api", "private", "secret", "signing", "encryption"})
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_PLACEHOLDER = re.compile(r"change.?me|replace|placeholder|redacted|dummy|fake")
_NOT_SECRET = re.compile(r"true|false|yes|no|none|null|todo|tbd|fixme")
# The patterns below are searched only in a text that holds a piece every match of them holds, which few
# do: they are compiled on first use (re keeps them), not at start-up.
_URL_PASSWORD = r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@'\"]+:([^\s/@'\"]+)@"
# Each with a piece of text every match holds.
_WEBHOOKS = (
    (
        "Slack",
        "hooks.slack.com/",
        r"hooks\.slack\.com/(?:services|workflows|triggers)/\w+/\w+/(\w+)",
    ),
    (
        "Teams",
        ".webhook.office.com/",
        r"[\w-]+\.webhook\.office\.com/webhookb2/[\w@-]+/IncomingWebhook/\w+/([\w-]+)",
    ),
    (
        "Teams",
        "outlook.office",
        r"outlook\.office(?:365)?\.com/webhook/[\w@-]+/IncomingWebhook/\w+/([\w-]+)",
    ),
    (
        "Teams",
        "logic.azure.com",
        r"logic\.azure\.com(?::\d+)?/workflows/\w+/triggers/[^\s'\"]*[?&]sig=([\w%-]+)",
    ),
    ("Discord", ".com/api/webhooks/", r"discord(?:app)?\.com/api/webhooks/\d+/([\w-]+)"),
)
_FLAG = r"(?<![\w-])--([A-Za-z][\w.-]*)(?:=|[ \t]+)(\"[^\"\n]*\"|'[^'\n]*'|[^\s\"';|&)]+)"


def credential_name(name: str) -> bool:
    words = [w.lower() for w in _WORDS.findall(name) if not w.isdigit()]
    if not words:
        return False
    last = words[-1]
    if _CREDENTIAL_WORD.fullmatch(last) or _CREDENTIAL_END.fullmatch(last):
        return True
    # `SECRET_ACCESS_KEY` is a credential; `ACCESS_KEY_ID` and a bare `ACCESS_KEY` are not said to be one.
    return last == "key" and len(words) > 1 and (words[-2] in _KEY_QUALIFIERS or "secret" in words[:-1])


def literal_secret(value: str) -> bool:
    """A value that is a credential as written: not a reference, a path, a flag, a boolean or a placeholder."""
    text = value.strip().strip("\"'")
    lowered = text.lower()
    if not text or "$" in text or "`" in text or text[0] in "-/~.<{[%" or _NOT_SECRET.fullmatch(lowered):
        return False
    if len(set(lowered)) == 1 or lowered.startswith(("your-", "your_")):
        return False  # `xxxx`, `****`, `your-token`
    return _PLACEHOLDER.search(lowered) is None


def flags_env(name: object, value: str) -> bool:
    """Whether HL302 would call env `name` set to `value` a credential: a credential's name with a literal
    that is no placeholder, or a URL password or webhook secret in the value."""
    named = isinstance(name, str) and credential_name(name) and literal_secret(value)
    return named or next(secrets_in(value), None) is not None


def secrets_in(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, what) for each credential written into a string."""
    # Each pattern is searched only in a text that holds what every match of it holds.
    for match in re.finditer(_URL_PASSWORD, text) if "://" in text and "@" in text else ():
        if literal_secret(match.group(1)):
            yield match.start(1), match.end(1), "a URL with an embedded password"
    for service, needle, pattern in _WEBHOOKS if "." in text else ():  # every needle holds a dot
        for match in re.finditer(pattern, text) if needle in text else ():
            if literal_secret(match.group(1)):
                yield match.start(), match.end(), f"a {service} webhook URL with its secret path"
    # A flag is parted from its value by `=` or blanks: a flag alone (`--force`) holds neither.
    flagged = "--" in text and ("=" in text or " " in text or "\t" in text)
    for match in re.finditer(_FLAG, text) if flagged else ():
        flag, value = match.group(1), match.group(2)
        key, equals, rest = value.strip("\"'").partition("=")
        if credential_name(flag) and literal_secret(value):
            yield match.start(2), match.end(2), f"a literal for --{flag}"
        elif flag == "from-literal" and equals and credential_name(key) and literal_secret(rest):
            yield match.start(2), match.end(2), f"a literal for --from-literal key {key}"
