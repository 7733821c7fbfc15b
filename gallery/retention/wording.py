"""The photographer's own words: mail texts with placeholders, checked and rendered in a sandbox.

A text may use only `{{ placeholder }}` from the documented list and `{% if placeholder %}...{% else %}...
{% endif %}`. Everything else a template language offers (attribute and item access, calls, filters, loops,
macros, includes, assignments) is refused when the text is saved, so no text can reach into the app or run
without end; rendering still happens in Jinja's immutable sandbox with strict undefined names.
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

# name -> what it holds (documented in the API and shown in the studio's editor).
PLACEHOLDERS: dict[str, str] = {
    "client_name": "The client's full name.",
    "client_first_name": "The client's first name (both first names for a couple, \"Ingrid & Jonas\").",
    "studio_name": "Your studio's name.",
    "occasion": "What the mail is about, in the client's language (wedding anniversary, first birthday, ...).",
    "years": "Years since the occasion (anniversaries).",
    "gallery_title": "The gallery's title.",
    "gallery_link": "The client's link to the gallery (the button goes there too).",
    "expiry_date": "The day the gallery closes, in the client's language.",
    "days_left": "Days until the gallery closes (expiry reminders).",
    "offer": "The offer in one sentence (discount, code and last day), empty without an offer.",
    "offer_code": "The offer's coupon code.",
    "offer_expiry": "The offer's last day, in the client's language.",
    "favourites_count": "How many favourites are not ordered yet (favourites prompt).",
    "cart_items": "What is in the cart, as a list (abandoned cart).",
    "tier_name": "The client's loyalty tier.",
}
# Placeholders only some mails fill; every other placeholder applies to every mail.
ONLY_FOR: dict[str, tuple[str, ...]] = {
    "occasion": ("anniversary",), "years": ("anniversary",), "days_left": ("expiry",),
    "favourites_count": ("favourites",), "cart_items": ("abandoned_cart",), "tier_name": ("loyalty",),
}


def placeholders_for(rule: str | None) -> dict[str, str]:
    """The placeholders a mail of `rule` ("campaign" for campaigns) fills; None: every placeholder."""
    return {name: text for name, text in PLACEHOLDERS.items()
            if rule is None or name not in ONLY_FOR or rule in ONLY_FOR[name]}


MAX_SUBJECT = 300
MAX_BODY = 5000
MAX_BUTTON = 100
MAX_OUTPUT = 20_000
_ALLOWED_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.If, nodes.Not,
                  nodes.And, nodes.Or, nodes.Const)
_env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


class WordingError(ValueError):
    """A text that cannot be saved; `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _problems(source: str, rule: str | None) -> list[str]:
    try:
        tree = _env.parse(source)
    except TemplateSyntaxError as error:
        return [f"line {error.lineno}: {error.message}"]
    problems = []
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            problems.append(f"{type(node).__name__} is not allowed: use only {{{{ placeholder }}}} and "
                            "{% if placeholder %}...{% endif %}.")
        elif isinstance(node, nodes.Name) and node.name not in PLACEHOLDERS:
            problems.append(f"Unknown placeholder {node.name!r}; known: {', '.join(sorted(placeholders_for(rule)))}.")
        elif isinstance(node, nodes.Name) and node.name not in placeholders_for(rule):
            problems.append(f"The placeholder {node.name!r} does not apply to this mail (it has nothing to fill it "
                            f"with); this mail can use: {', '.join(sorted(placeholders_for(rule)))}.")
    return sorted(set(problems))


def check(texts: dict, rule: str | None = None) -> dict:
    """Validate {subject, body, button?} of a mail of `rule` (placeholders that apply to it only); returns the cleaned texts or raises WordingError."""
    errors: dict[str, list[str]] = {}
    limits = {"subject": MAX_SUBJECT, "body": MAX_BODY, "button": MAX_BUTTON}
    cleaned = {}
    for field, limit in limits.items():
        value = texts.get(field)
        if value is None or (field == "button" and value == ""):
            if field != "button":
                errors[field] = ["Required."]
            continue
        if not isinstance(value, str) or not value.strip():
            errors[field] = ["Give a text."]
            continue
        if len(value) > limit:
            errors[field] = [f"At most {limit} characters."]
            continue
        if field != "body" and ("\n" in value or "\r" in value):
            errors[field] = ["One line only."]
            continue
        if problems := _problems(value, rule):
            errors[field] = problems
            continue
        cleaned[field] = value.strip()
    if errors:
        raise WordingError(errors)
    return cleaned


@lru_cache(maxsize=512)
def _compiled(source: str):
    """A checked text compiled once (a campaign's words go to thousands of clients; compiling them for each
    mail cost more than rendering it)."""
    return _env.from_string(source)


def render(texts: dict, values: dict) -> dict:
    """{subject, paragraphs, button} of checked texts with `values` (missing placeholders render empty)."""
    variables = {name: ("" if values.get(name) is None else values[name]) for name in PLACEHOLDERS}

    def one(source: str) -> str:
        out = _compiled(source).render(variables)
        return out[:MAX_OUTPUT]

    body = one(texts["body"]).replace("\r\n", "\n")
    paragraphs = [" ".join(line.strip() for line in block.splitlines() if line.strip())
                  for block in body.split("\n\n")]
    return {"subject": " ".join(one(texts["subject"]).split()),
            "paragraphs": [p for p in paragraphs if p],
            "button": one(texts["button"]).strip() if texts.get("button") else None}
