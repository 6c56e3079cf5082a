"""An in-process fake of the Telegram Bot API, for end-to-end tests of the Canasta bot.

Why it exists: unit tests with mocked ``Bot`` methods never exercise what breaks in
production -- how python-telegram-bot encodes parameters, long polling and offset
confirmation, callback queries, Telegram's validation (HTML entities, message length,
``callback_data`` size, "message is not modified") and error replies (429, 403, 5xx).
``FakeBotAPI`` is a real HTTP server on 127.0.0.1 that speaks the Bot API wire format for
one bot token, so the *real* ``telegram.ext.Application`` talks to it unmodified::

    with FakeBotAPI(token=TOKEN) as server:
        app = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(f"{server.url}/bot")
            .base_file_url(f"{server.url}/file/bot")
            .build()
        )
        ...  # app.initialize(); app.start(); app.updater.start_polling(poll_interval=0, timeout=1)
        alex = server.user(1001, first_name="Alex", language_code="es")
        alex.send("/start")
        reply = server.wait_for(lambda _: alex.last_message())  # the reply itself, not a pause
        assert "Hola" in reply.text
        alex.press("Instagram")

Simulated: private chats and supergroups, user messages and button presses as updates,
long polling with Telegram's offset semantics, the bot's messages (text, documents, inline
keyboards, edits, deletions, pins), bot commands/descriptions/menu button, chat admins,
blocked users, the rule that a bot cannot write first to a user (see
:meth:`FakeBotAPI.user`), privacy mode in groups (only commands and mentions reach a
non-admin bot), and one-shot fault injection (:meth:`FakeBotAPI.fail_next`).

Limits -- it is a fake, not a reimplementation:

* Only the methods whose handlers are defined below (``_api_*``); any other method gets
  400 "Bad Request: method not found", so unsupported calls fail loudly.
* HTML formatting is parsed and validated exactly like Telegram (a port of tdlib's
  parser); Markdown and MarkdownV2 are passed through unparsed and unvalidated. Telegram's
  later clean-up of text (trimming surrounding whitespace, detecting URLs and mentions)
  is not emulated.
* Messages and files live in memory; documents can be sent as uploads or by a
  ``file_id`` the fake issued, not by URL. No photos, inline mode, payments or webhooks
  deliveries (``setWebhook`` is only recorded, and makes ``getUpdates`` conflict as on
  Telegram). ``allowed_updates`` is recorded but does not filter updates.
* No rate limiting unless asked: :meth:`FakeBotAPI.limit_floods` keeps Telegram's flood
  limits (leaky buckets per bot, per private chat and per group, see :class:`FloodLimits`),
  answering 429 with ``retry_after`` beyond them; one-off 429s are injected with
  :meth:`fail_next`.

Threading: the server answers requests on its own threads; all state sits behind one
lock and a condition variable that is notified on every change. The test-side helpers
are synchronous. :meth:`FakeBotAPI.wait_for` and :meth:`FakeBotAPI.wait_idle` block; from
a coroutine on the loop that runs the bot, await :meth:`FakeBotAPI.until` instead. Wait for
the event a test expects (a message, an edit, a callback answer); :meth:`wait_idle` (a quiet
wire) only proves that nothing *more* arrives, and costs ``IDLE_QUIET_SECONDS`` each time.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import copy
import itertools
import json
import math
import re
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple, TypeVar
from urllib.parse import parse_qsl, urlsplit

JSONDict = dict[str, Any]
T = TypeVar("T")

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_COMMANDS = 100
#: How long no request may arrive before :meth:`FakeBotAPI.wait_idle` calls the bot idle.
IDLE_QUIET_SECONDS = 0.15

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


class ApiError(Exception):
    """A Telegram-shaped error reply, raised by method handlers and sent as the response."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def reply(self) -> tuple[int, bytes]:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return self.status, _json_bytes(body)


def bad_request(detail: str) -> ApiError:
    """The 400 error Telegram uses for nearly every invalid call."""
    return ApiError(400, f"Bad Request: {detail}")


def _json_bytes(payload: object) -> bytes:
    try:
        return json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (forged data): JSON escapes it, as Telegram's
        return json.dumps(payload).encode("ascii")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets and lengths."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# --------------------------------------------------------------------------------------
# Telegram's HTML dialect
# --------------------------------------------------------------------------------------


class EntityParseError(ValueError):
    """Text is not valid Telegram HTML; the message is Telegram's own wording."""


_HTML_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
        "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE_TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",  # only <span class="tg-spoiler"> gets this far
}
# tdlib orders entities by offset, then longest first, then by this priority.
_ENTITY_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
_HTML_SPACES = frozenset(" \t\r\n\v\f")
_TAG_NAME_END = _HTML_SPACES | {">"}
_NAMED_CHARACTERS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_character_reference(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the ``&...;`` at ``pos`` like tdlib: return (character, end) or None.

    Unknown references are not an error on Telegram -- the ``&`` is then literal text.
    """
    end = pos + 1
    if text.startswith("#", end):
        end += 1
        hexadecimal = text.startswith("x", end)
        end += hexadecimal
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        start = end
        while end < len(text) and text[end] in digits:
            end += 1
        code = int(text[start:end], 16 if hexadecimal else 10) if end > start else 0
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
        if 0xD800 <= code <= 0xDFFF:
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        character = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        named = _NAMED_CHARACTERS.get(text[pos + 1 : end])
        if named is None:
            return None
        character = named
    if text.startswith(";", end):
        end += 1
    return character, end


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    output_index: int  # where the tag's text starts in the output, for <a> without href


class _HtmlParser:
    """Telegram's HTML parser, ported from tdlib's ``parse_html``.

    Following tdlib step by step keeps the accepted language and the error messages
    (with their UTF-8 byte offsets) identical to what the bot would get in production.
    """

    def __init__(self, source: str):
        self.source = source
        self.pos = 0
        self.output: list[str] = []
        self.utf16_offset = 0
        self.open_tags: list[_OpenTag] = []
        self.entities: list[JSONDict] = []

    def parse(self) -> tuple[str, list[JSONDict]]:
        while self.pos < len(self.source):
            char = self.source[self.pos]
            if char == "&" and self._take_character_reference():
                continue
            if char != "<":
                self._emit(char)
                self.pos += 1
            elif self._at(self.pos + 1) == "/":
                self._close_tag()
            else:
                self._open_tag()
        if self.open_tags:
            name = self.open_tags[-1].name
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)  # a language only survives on <pre>
        self.entities.sort(key=lambda e: (e["offset"], -e["length"], _ENTITY_PRIORITY[e["type"]]))
        return "".join(self.output), self.entities

    def _at(self, index: int) -> str:
        return self.source[index] if index < len(self.source) else ""

    def _byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8", "surrogatepass"))

    def _error(self, message: str, index: int) -> EntityParseError:
        return EntityParseError(f"{message} at byte offset {self._byte_offset(index)}")

    def _emit(self, char: str) -> None:
        self.output.append(char)
        self.utf16_offset += 2 if ord(char) > 0xFFFF else 1

    def _take_character_reference(self) -> bool:
        decoded = _decode_character_reference(self.source, self.pos)
        if decoded is None:
            return False
        char, self.pos = decoded
        self._emit(char)
        return True

    def _skip_spaces(self) -> None:
        while self._at(self.pos) in _HTML_SPACES:  # _at() is "" past the end
            self.pos += 1

    def _open_tag(self) -> None:
        begin = self.pos
        self.pos += 1
        while self.pos < len(self.source) and self._at(self.pos) not in _TAG_NAME_END:
            self.pos += 1
        if self.pos >= len(self.source):
            raise self._error("Unclosed start tag", begin)
        name = self.source[begin + 1 : self.pos].lower()
        if name not in _HTML_TAGS:
            raise self._error(f'Unsupported start tag "{name}"', begin)
        argument = self._read_attributes(name, begin)
        if name == "span" and argument != "spoiler":
            raise self._error('Tag "span" must have class "tg-spoiler"', begin)
        self.open_tags.append(_OpenTag(name, argument, self.utf16_offset, len(self.output)))
        self.pos += 1  # the '>'

    def _read_attributes(self, tag: str, begin: int) -> str:
        """Consume attributes up to the closing '>'; return the one the tag cares about."""
        argument = ""
        while self._at(self.pos) != ">":
            self._skip_spaces()
            if self._at(self.pos) == ">":
                break
            name_start = self.pos
            while self.pos < len(self.source) and self._at(self.pos) not in _TAG_NAME_END | {"="}:
                self.pos += 1
            name = self.source[name_start : self.pos]
            if not name:
                raise self._error(f'Empty attribute name in the tag "{tag}"', begin)
            self._skip_spaces()
            if self._at(self.pos) != "=":
                if tag == "blockquote" and name == "expandable":
                    argument = "expandable"
                    continue
                message = f'Expected equal sign in declaration of an attribute of the tag "{tag}"'
                raise self._error(message, begin)
            self.pos += 1
            self._skip_spaces()
            if self.pos >= len(self.source):
                raise self._error(f'Unclosed start tag "{tag}"', begin)
            value = self._read_attribute_value()
            if self.pos >= len(self.source):
                raise self._error("Unclosed start tag", begin)
            argument = _tag_argument(tag, name, value) or argument
        return argument

    def _read_attribute_value(self) -> str:
        quote = self._at(self.pos)
        if quote not in ("'", '"'):
            # An unquoted value is an HTML name token: letters, digits, periods, hyphens.
            start = self.pos
            while self._at(self.pos).isascii() and (
                self._at(self.pos).isalnum() or self._at(self.pos) in ".-"
            ):
                self.pos += 1
            if self.pos < len(self.source) and self._at(self.pos) not in _TAG_NAME_END:
                raise self._error("Unexpected end of name token", start)
            return self.source[start : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while self.pos < len(self.source) and self._at(self.pos) != quote:
            decoded = None
            if self._at(self.pos) == "&":
                decoded = _decode_character_reference(self.source, self.pos)
            if decoded is None:
                value.append(self._at(self.pos))
                self.pos += 1
            else:
                char, self.pos = decoded
                value.append(char)
        if self._at(self.pos) == quote:
            self.pos += 1
        return "".join(value)

    def _close_tag(self) -> None:
        begin = self.pos
        if not self.open_tags:
            raise self._error("Unexpected end tag", begin)
        self.pos += 1
        while self.pos < len(self.source) and self._at(self.pos) not in _TAG_NAME_END:
            self.pos += 1
        name = self.source[begin + 2 : self.pos].lower()
        self._skip_spaces()
        if self._at(self.pos) != ">":
            raise self._error("Unclosed end tag", begin)
        tag = self.open_tags[-1]
        if name and name != tag.name:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self._byte_offset(begin)}, "
                f'expected "</{tag.name}>", found "</{name}>"'
            )
        if self.utf16_offset > tag.utf16_offset:
            self._add_entity(tag)
        self.open_tags.pop()
        self.pos += 1

    def _add_entity(self, tag: _OpenTag) -> None:
        entity: JSONDict = {
            "offset": tag.utf16_offset,
            "length": self.utf16_offset - tag.utf16_offset,
        }
        previous = self.entities[-1] if self.entities else {}
        same_range = (previous.get("offset"), previous.get("length")) == (
            entity["offset"],
            entity["length"],
        )
        if tag.name in _SIMPLE_TAG_ENTITIES:
            entity["type"] = _SIMPLE_TAG_ENTITIES[tag.name]
        elif tag.name == "tg-emoji":
            if not (tag.argument.isascii() and tag.argument.isdigit()) or int(tag.argument) == 0:
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=tag.argument)
        elif tag.name == "a":
            url = tag.argument or "".join(self.output[tag.output_index :])
            entity.update(type="text_link", url=url)
        elif tag.name == "blockquote":
            entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
        elif tag.name == "pre" and same_range and previous.get("language"):
            # <pre><code class="language-x">...</code></pre> is one pre entity with a language
            previous["type"] = "pre"
            return
        elif tag.name == "pre":
            entity["type"] = "pre"
        elif same_range and previous["type"] == "pre" and tag.argument:
            previous["language"] = tag.argument  # <code class="language-x"> directly in <pre>
            return
        else:
            entity["type"] = "code"
            if tag.argument:
                entity["language"] = tag.argument  # kept only if a <pre> closes around it
        self.entities.append(entity)


def _tag_argument(tag: str, attribute: str, value: str) -> str:
    """The attribute value a tag keeps (its URL, language, class or emoji id), else ''."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    return ""


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Render Telegram HTML into (plain text, entities) or raise :class:`EntityParseError`."""
    return _HtmlParser(text).parse()


# --------------------------------------------------------------------------------------
# Request decoding
# --------------------------------------------------------------------------------------

# Form and multipart requests carry every value as a string (PTB JSON-encodes all but
# strings), so Telegram decodes each parameter by its declared type. So must we: a text of
# "123" stays a string while chat_id "123" becomes a number.
_INT_PARAMS = frozenset(
    {
        "chat_id", "from_chat_id", "message_id", "message_thread_id", "reply_to_message_id",
        "user_id", "offset", "limit", "cache_time", "max_connections",
    }
)  # fmt: skip
_NUMBER_PARAMS = frozenset({"timeout"})  # PTB sends fractional seconds as floats
_BOOL_PARAMS = frozenset(
    {
        "disable_notification", "protect_content", "allow_paid_broadcast", "show_alert",
        "drop_pending_updates", "disable_web_page_preview", "allow_sending_without_reply",
        "disable_content_type_detection", "only_if_banned", "revoke_messages", "for_channels",
    }
)  # fmt: skip
_JSON_PARAMS = frozenset(
    {
        "reply_markup", "reply_parameters", "link_preview_options", "entities",
        "caption_entities", "allowed_updates", "commands", "scope", "menu_button",
        "rights", "message_ids",
    }
)  # fmt: skip
_HEADER_PARAM = re.compile(r';\s*([\w*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, e.g. the ``document`` of sendDocument."""

    filename: str
    content: bytes
    mime_type: str | None = None


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value  # JSON bodies arrive typed already; uploads stay UploadedFile
    if name in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in _INT_PARAMS:
        try:
            return int(value)
        except ValueError:
            if name == "chat_id":
                return value  # "@channelname" is a valid chat_id; lookups reject it later
            raise bad_request(f"invalid {name} specified") from None
    if name in _NUMBER_PARAMS:
        try:
            number = float(value)
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None
        return int(number) if number.is_integer() else number
    if name in _BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


def _header_params(value: str) -> dict[str, str]:
    """Parameters of a header like ``form-data; name="x"; filename="y"`` (keys lowercased)."""
    params = {}
    for key, raw in _HEADER_PARAM.findall(value):
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params[key.lower()] = raw.strip()
    return params


def _unescape_form_name(name: str) -> str:
    # httpx escapes names the HTML5 way: '"' and control characters are percent-encoded.
    return re.sub(r"%(22|[01][0-9A-F])", lambda match: chr(int(match[1], 16)), name)


def _parse_multipart(content_type: str, body: bytes) -> JSONDict:
    boundary = _header_params(content_type).get("boundary")
    if not boundary:
        raise bad_request("multipart/form-data without boundary")
    params: JSONDict = {}
    for chunk in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        head, separator, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            raise bad_request("malformed multipart/form-data part")
        content = content.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = _header_params(headers.get("content-disposition", ""))
        name = _unescape_form_name(disposition.get("name", ""))
        if "filename" in disposition:
            filename = _unescape_form_name(disposition["filename"])
            params[name] = UploadedFile(filename, content, headers.get("content-type"))
        else:
            params[name] = content.decode("utf-8")
    return params


def _parse_body(content_type: str, body: bytes) -> JSONDict:
    if not body:
        return {}
    mime = content_type.partition(";")[0].strip().lower()
    if mime == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            raise bad_request("can't parse JSON encoded request body") from None
        if not isinstance(data, dict):
            raise bad_request("JSON encoded request body must be an object")
        return data
    if mime == "multipart/form-data":
        return _parse_multipart(content_type, body)
    # Like Telegram, treat anything else as a url-encoded form.
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if "chunked" in handler.headers.get("Transfer-Encoding", "").lower():
        # HTTP clients stream chunked only bodies of unknown size, which PTB never sends.
        handler.close_connection = True
        raise ApiError(411, "Length Required")
    return handler.rfile.read(int(handler.headers.get("Content-Length") or 0))


# --------------------------------------------------------------------------------------
# What tests see of the bot's messages
# --------------------------------------------------------------------------------------


class Button(NamedTuple):
    """An inline keyboard button as the user sees it."""

    text: str
    #: callback_data for callback buttons, the URL for URL buttons, else None.
    data: str | None


@dataclass(frozen=True)
class BotMessage:
    """Snapshot of a message the bot sent, as the chat shows it now (edits applied). Read
    only: an unchanged message gives the same snapshot to every reader."""

    message_id: int
    chat_id: int
    #: The text as displayed, i.e. after parse_mode was applied (None for documents).
    text: str | None
    caption: str | None
    #: Formatting entities of the text (or caption) as Telegram reports them.
    entities: list[JSONDict]
    buttons: list[list[Button]]
    #: Texts set by each editMessageText, oldest first; empty if never edited.
    edits: list[str]
    document: UploadedFile | None
    deleted: bool
    #: Parameters of the call that sent it (sendMessage, sendDocument, ...).
    sent: JSONDict
    #: The Message object as Telegram would return it now.
    raw: JSONDict


def _inline_rows(message: JSONDict) -> list[list[JSONDict]]:
    return (message.get("reply_markup") or {}).get("inline_keyboard") or []


def _button_labels(message: JSONDict) -> list[list[str]]:
    return [[button["text"] for button in row] for row in _inline_rows(message)]


def _button_value(button: JSONDict) -> str | None:
    return button.get("callback_data", button.get("url"))


@dataclass
class _StoredMessage:
    data: JSONDict  # the Message object, kept current
    from_bot: bool
    sent: JSONDict = field(default_factory=dict)
    edits: list[str] = field(default_factory=list)
    document: UploadedFile | None = None
    deleted: bool = False
    #: The last snapshot, until the message changes (see changed()): tests waiting on many
    #: chats read every message again on each change of the server, and copying is costly.
    _snapshot: BotMessage | None = field(default=None, repr=False)

    def changed(self) -> None:
        """Call after every change of the message."""
        self._snapshot = None

    def snapshot(self) -> BotMessage:
        if self._snapshot is None:
            self._snapshot = self._copy()
        return self._snapshot

    def _copy(self) -> BotMessage:
        raw = copy.deepcopy(self.data)
        return BotMessage(
            message_id=raw["message_id"],
            chat_id=raw["chat"]["id"],
            text=raw.get("text"),
            caption=raw.get("caption"),
            entities=raw.get("entities") or raw.get("caption_entities") or [],
            buttons=[
                [Button(b["text"], _button_value(b)) for b in row] for row in _inline_rows(raw)
            ],
            edits=list(self.edits),
            document=self.document,
            deleted=self.deleted,
            sent=dict(self.sent),
            raw=raw,
        )


@dataclass
class _Chat:
    data: JSONDict  # the Chat object
    #: Private chats only: Telegram lets a bot write to users who have written to it first.
    started: bool = True
    messages: dict[int, _StoredMessage] = field(default_factory=dict)
    pinned: list[int] = field(default_factory=list)
    last_message_id: int = 0

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def is_private(self) -> bool:
        return bool(self.data["type"] == "private")

    def add(self, content: JSONDict, *, from_bot: bool, **extra: Any) -> _StoredMessage:
        self.last_message_id += 1
        data = {
            "message_id": self.last_message_id,
            "date": int(time.time()),
            "chat": dict(self.data),
            **content,
        }
        stored = _StoredMessage(data, from_bot, **extra)
        self.messages[self.last_message_id] = stored
        return stored

    def bot_messages(self, *, include_deleted: bool = False) -> list[_StoredMessage]:
        return [
            m for m in self.messages.values() if m.from_bot and (include_deleted or not m.deleted)
        ]


# --------------------------------------------------------------------------------------
# Simulated users and chats (the test's side)
# --------------------------------------------------------------------------------------

_BOT_COMMAND = re.compile(r"(?<![\w/<>])/([a-zA-Z0-9_]{1,64})(?:@([a-zA-Z0-9_]{3,32}))?(?![\w/<>])")


def _command_entities(text: str) -> list[JSONDict]:
    return [
        {
            "type": "bot_command",
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group(0)),
        }
        for match in _BOT_COMMAND.finditer(text)
    ]


class _ChatView:
    """What every simulated chat offers: reading the bot's messages in it."""

    def __init__(self, server: FakeBotAPI, chat_id: int):
        self._server = server
        self.id = chat_id

    def messages(self, *, include_deleted: bool = False) -> list[BotMessage]:
        """The bot's messages in this chat, oldest first (deleted ones only if asked)."""
        return self._server._bot_messages(self.id, include_deleted=include_deleted)

    def last_message(self) -> BotMessage:
        """The bot's most recent (not deleted) message here; AssertionError if none."""
        messages = self.messages()
        if not messages:
            raise AssertionError(f"the bot has not sent any message to chat {self.id}")
        return messages[-1]


class FakeUser(_ChatView):
    """A Telegram user and their private chat with the bot (chat id == user id)."""

    @property
    def info(self) -> JSONDict:
        """The User object Telegram puts in this user's updates."""
        return self._server._user_info(self.id)

    def send(self, text: str) -> JSONDict:
        """Write ``text`` to the bot; returns the queued update."""
        update = self._server._user_writes(self.id, self.id, text)
        assert update is not None  # private messages always reach the bot
        return update

    def send_command(self, command: str, args: str = "") -> JSONDict:
        """Send ``/command args``, e.g. ``send_command("start", "ws-ABC")``."""
        return self.send(f"/{command} {args}".rstrip())

    def edit(self, message_id: int, text: str) -> JSONDict:
        """Edit one of the user's own messages, as Telegram's long-press "Edit" does: the bot
        gets an ``edited_message`` update."""
        return self._server._user_edits(self.id, message_id, text)

    def press(self, label: str) -> str:
        """Press the inline button labelled ``label``; returns the callback query id.

        Searches the bot's messages newest first; in each, a button whose text equals the
        label wins, else the one whose text contains it.
        """
        return self._server._press_label(self.id, self.id, label)

    def press_data(self, message_id: int, data: str) -> str:
        """Send a callback query with arbitrary ``data`` for any message id (forged/stale)."""
        return self._server._press_data(self.id, self.id, message_id, data)


class FakeGroup(_ChatView):
    """A supergroup the bot is a member of (privacy mode on, like a default bot)."""

    def send(self, user: FakeUser, text: str) -> JSONDict | None:
        """``user`` writes ``text`` in the group; returns the update, or None if privacy
        mode hides it from the bot (no command or mention, and the bot is not an admin).
        """
        return self._server._user_writes(self.id, user.id, text)

    def send_command(self, user: FakeUser, command: str, args: str = "") -> JSONDict | None:
        """``user`` sends ``/command args`` in the group."""
        return self.send(user, f"/{command} {args}".rstrip())

    def press(self, user: FakeUser, label: str) -> str:
        """``user`` presses an inline button here; see :meth:`FakeUser.press`."""
        return self._server._press_label(self.id, user.id, label)

    def press_data(self, user: FakeUser, message_id: int, data: str) -> str:
        """``user`` sends a forged callback query; see :meth:`FakeUser.press_data`."""
        return self._server._press_data(self.id, user.id, message_id, data)


# --------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fault:
    status: int | None
    retry_after: int
    description: str | None
    delay: float
    drop: bool

    def error(self) -> ApiError:
        status = self.status
        assert status is not None, "only faults with a status have an error reply"
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            description = self.description or f"Too Many Requests: retry after {self.retry_after}"
            return ApiError(status, description, {"retry_after": self.retry_after})
        return ApiError(status, self.description or HTTPStatus(status).phrase)


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's flood limits, each as (calls, seconds): a leaky bucket that holds ``calls``
    and drains ``calls`` every ``seconds`` (the model of PTB's AIORateLimiter, aiolimiter's
    AsyncLimiter): a burst of up to ``calls``, then that rate. They count the calls that name
    a chat (sends, edits, chat actions, deletions...; not the get* methods, and
    answerCallbackQuery names none). Telegram publishes no exact rule; these follow its FAQ:
    about 30 messages a second per bot, about one a second in a private chat (short bursts
    tolerated: five here), 20 a minute in a group."""

    per_bot: tuple[int, float] = (30, 1.0)
    per_chat: tuple[int, float] = (5, 5.0)
    per_group: tuple[int, float] = (20, 60.0)
    #: A call arriving while a retry_after is still running, a second or more after that
    #: 429 was sent (long enough for the client to have heard it), is refused again and the
    #: wait grows by this much: Telegram's answer to a client that ignores retry_after.
    penalty: float = 1.0


class _Flood:
    """One scope's bucket (the bot's, or a chat's)."""

    def __init__(self, calls: int, seconds: float) -> None:
        self.capacity = float(calls)
        self.drain = calls / seconds  # per second
        self.level = 0.0
        self.at = 0.0  # when `level` was last brought up to date
        self.blocked_since = self.blocked_until = 0.0

    def wait(self, now: float, penalty: float) -> float:
        """0 when a call may go in now (and it is counted); else the seconds it must wait."""
        if now < self.blocked_until:
            if now - self.blocked_since >= 1.0:  # retry_after heard and ignored: it grows
                self.blocked_until += penalty
            return self.blocked_until - now
        self.level = max(0.0, self.level - (now - self.at) * self.drain)
        self.at = now
        if self.level + 1 <= self.capacity:
            return 0.0
        self.blocked_since = now
        self.blocked_until = now + (self.level + 1 - self.capacity) / self.drain
        return self.blocked_until - now

    def count(self) -> None:
        self.level += 1


@dataclass(frozen=True)
class _Call:
    method: str  # canonical spelling, or as received if unknown
    params: JSONDict
    handler: str | None  # name of the _api_* method, None if unsupported

    @property
    def is_long_poll(self) -> bool:
        return self.method == "getUpdates"


_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[^/]*)")
_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
_BUTTON_ACTIONS = frozenset(
    {
        "url", "callback_data", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    }
)  # fmt: skip
_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
    "can_manage_topics": False,
}


def _check_text(text: str | None) -> str:
    if not text or not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT_LENGTH:  # Telegram counts code points after entity parsing
        raise bad_request("message is too long")
    return text


def _check_inline_button(button: object) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
    elif not _BUTTON_ACTIONS & button.keys():
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


def _inline_markup(params: JSONDict) -> JSONDict | None:
    """The validated inline keyboard to attach, or None.

    Reply keyboards (and force_reply/remove_keyboard) are accepted but, as on Telegram,
    not part of the returned Message.
    """
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            _check_inline_button(button)
    return markup if any(rows) else None


def _formatted(
    params: JSONDict, text_key: str, entities_key: str
) -> tuple[str | None, list[JSONDict]]:
    """Apply parse_mode to ``params[text_key]``: (displayed text, entities)."""
    text = params.get(text_key)
    if text is None:
        return None, []
    text = str(text)
    mode = str(params.get("parse_mode") or "").lower()
    if mode == "html":
        try:
            return parse_html(text)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    if mode in ("markdown", "markdownv2"):
        return text, []  # not rendered; see the module's limits
    if mode:
        raise bad_request("unsupported parse_mode")
    return text, params.get(entities_key) or []


def _set_or_drop(data: JSONDict, key: str, value: Any) -> None:
    if value:
        data[key] = value
    else:
        data.pop(key, None)


def _brief(params: JSONDict) -> str:
    text = json.dumps(params, ensure_ascii=False, default=repr)
    return text if len(text) <= 300 else text[:297] + "..."


class FakeBotAPI:
    """A fake api.telegram.org for one bot token; see the module docstring."""

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        bot_first_name: str = "Canasta",
        bot_username: str = "canasta_test_bot",
    ):
        self.token = token
        bot_id = token.partition(":")[0]
        self.bot_id = int(bot_id) if bot_id.isdigit() else 1
        self.bot_user: JSONDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        # One lock guards all state; the condition wakes long polls and waiting tests. It is
        # re-entrant because wait_for() predicates call helpers that take it again.
        self._cond = threading.Condition(threading.RLock())
        self._stopping = threading.Event()
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()

        self._users: dict[int, JSONDict] = {}
        self._chats: dict[int, _Chat] = {}
        self._admins: dict[int, set[int]] = {}
        self._blocked: set[int] = set()
        self._updates: list[JSONDict] = []  # queued and not yet confirmed by an offset
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._callback_answers: dict[str, JSONDict | None] = {}
        self._files: dict[str, UploadedFile] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._profile_texts: dict[tuple[str, str], str] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._webhook: JSONDict = {}
        self._poll_generation = 0

        self._requests: list[tuple[str, JSONDict]] = []
        self._errors: list[str] = []
        self._faults: dict[str, list[_Fault]] = {}
        self._in_flight = 0
        self._last_request_at = time.monotonic()
        self._flood_limits: FloodLimits | None = None
        #: The flood limits' clock; a test may replace it to step time by hand.
        self.flood_clock: Callable[[], float] = time.monotonic
        self._floods: dict[object, _Flood] = {}
        self._flood_refusals: collections.Counter[str] = collections.Counter()
        #: Called (under the lock) on every change, to wake coroutines waiting in until().
        self._wakers: list[Callable[[], object]] = []

    # ---- lifecycle -------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        """Start serving on an OS-assigned port of 127.0.0.1; returns self."""
        if self._httpd is not None:
            raise RuntimeError("FakeBotAPI is already running")
        self._stopping.clear()
        self._httpd = _HttpServer(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},  # shutdown() waits up to one interval
            name="FakeBotAPI",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: wake long polls, drop open connections. Safe to call twice."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        self._stopping.set()
        with self._cond:
            self._notify()
            connections = list(self._connections)
        httpd.shutdown()
        for connection in connections:
            # Idle keep-alive connections would otherwise hold their threads in recv().
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``; the bot's base_url is ``f"{url}/bot"``."""
        if self._httpd is None:
            raise RuntimeError(
                "FakeBotAPI is not running; call start() or use it as a context manager"
            )
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # ---- simulation: users, chats, faults ---------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        started: bool = False,
    ) -> FakeUser:
        """Register (or re-profile) a user and their private chat.

        Like Telegram, the bot may only write to the user once they wrote to it; pass
        ``started=True`` for a user who did so before the test began.
        """
        info: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        optional = {"last_name": last_name, "username": username, "language_code": language_code}
        info.update({key: value for key, value in optional.items() if value is not None})
        chat_info = {"id": user_id, "type": "private", "first_name": first_name}
        chat_info.update({key: optional[key] for key in ("last_name", "username") if optional[key]})
        with self._cond:
            self._users[user_id] = info
            chat = self._chats.setdefault(user_id, _Chat(chat_info, started=started))
            chat.data = chat_info
            chat.started = chat.started or started
        return FakeUser(self, user_id)

    def group(self, chat_id: int, title: str = "Group") -> FakeGroup:
        """Register a supergroup (ids look like -100...) with the bot in it."""
        with self._cond:
            self._chats.setdefault(
                chat_id, _Chat({"id": chat_id, "type": "supergroup", "title": title})
            )
        return FakeGroup(self, chat_id)

    def set_admins(self, chat_id: int, user_ids: list[int]) -> None:
        """Make exactly these users (the bot's id included, if wanted) admins of the chat."""
        with self._cond:
            unknown = [uid for uid in user_ids if uid != self.bot_id and uid not in self._users]
            if unknown:
                raise ValueError(f"unknown users {unknown}: register them with server.user() first")
            self._admins[chat_id] = set(user_ids)

    def block_user(self, user_id: int) -> None:
        """The user blocks the bot: writes to their chat get 403, and the bot gets the
        ``my_chat_member`` update Telegram sends."""
        with self._cond:
            self._queue_membership_change(user_id, old="member", new="kicked")
            self._blocked.add(user_id)

    def unblock_user(self, user_id: int) -> None:
        """The user unblocks the bot (with the matching ``my_chat_member`` update)."""
        with self._cond:
            self._blocked.discard(user_id)
            self._queue_membership_change(user_id, old="kicked", new="member")

    def fail_next(
        self,
        method: str,
        status: int | None = None,
        *,
        retry_after: int = 1,
        description: str | None = None,
        delay: float = 0.0,
        drop: bool = False,
    ) -> None:
        """Make the next call of ``method`` misbehave, once (repeat the call to queue more).

        * ``status``: answer with Telegram's error shape instead of running the method --
          429 carries ``retry_after``; 500, 502, 400, 403... use ``description`` if given.
          Defaults to 429 when neither ``delay`` nor ``drop`` is given.
        * ``delay`` alone: the call takes effect at once but the answer is held back for
          ``delay`` seconds, as when Telegram is slow (a client timeout then still leaves
          the message delivered). With ``status`` or ``drop`` it delays the failure.
        * ``drop``: close the connection without any response; the call has no effect.
        """
        entry = _API_METHODS.get(method.lower())
        if entry is None:
            raise ValueError(f"{method!r} is not a method the fake implements")
        if status is None and not delay and not drop:
            status = HTTPStatus.TOO_MANY_REQUESTS
        fault = _Fault(status, retry_after, description, delay, drop)
        with self._cond:
            self._faults.setdefault(entry[0], []).append(fault)

    def limit_floods(self, limits: FloodLimits | None = None) -> None:
        """Keep Telegram's flood limits from now on (``limits``, by default
        :class:`FloodLimits`'s); a call beyond them gets 429 with ``retry_after``."""
        with self._cond:
            self._flood_limits = limits or FloodLimits()
            self._floods.clear()

    # ---- observation ---------------------------------------------------------------

    @property
    def flood_refusals(self) -> collections.Counter[str]:
        """How many 429s the flood limits sent, by method."""
        with self._cond:
            return collections.Counter(self._flood_refusals)

    @property
    def requests(self) -> list[tuple[str, JSONDict]]:
        """Every authenticated call as (method, decoded params), in arrival order."""
        with self._cond:
            return list(self._requests)

    def calls(self, method: str) -> list[JSONDict]:
        """Params of every call of ``method`` (case-insensitive), in arrival order."""
        return [params for name, params in self.requests if name.lower() == method.lower()]

    @property
    def errors(self) -> list[str]:
        """Tracebacks of crashes inside the fake itself; tests should assert it is empty."""
        with self._cond:
            return list(self._errors)

    @property
    def webhook(self) -> JSONDict:
        """Parameters of the last setWebhook, or {} when no webhook is set."""
        with self._cond:
            return dict(self._webhook)

    def callback_answer(self, query_id: str) -> JSONDict | None:
        """Params of the answerCallbackQuery for ``query_id``, None if not answered yet."""
        with self._cond:
            return self._callback_answers.get(query_id)

    def my_commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The bot's command list for a scope (default scope if None) and language."""
        with self._cond:
            key = self._commands_key({"scope": scope, "language_code": language_code})
            return copy.deepcopy(self._commands.get(key, []))

    # ---- synchronisation -----------------------------------------------------------

    def wait_for(self, predicate: Callable[[FakeBotAPI], T], timeout: float = 5.0) -> T:
        """Block until ``predicate(self)`` is truthy and return its value.

        The predicate runs under the server lock, re-checked on every state change. An
        AssertionError from it (e.g. ``last_message()`` before any message) counts as "not
        yet". On timeout raises AssertionError with the recent requests for diagnosis.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = self._look(predicate, deadline - time.monotonic(), timeout)
                if result:
                    return result
                self._cond.wait(min(deadline - time.monotonic(), 0.05))

    def _look(
        self, predicate: Callable[[FakeBotAPI], T], remaining: float, timeout: float
    ) -> T | None:
        """One check of `predicate` (the lock held): its result, falsy for "not yet"; past the
        deadline, an AssertionError with the recent requests for diagnosis."""
        failure, result = None, None
        try:
            result = predicate(self)
        except AssertionError as error:
            failure = error
        if not result and remaining <= 0:
            last = f"\nlast predicate failure: {failure}" if failure else ""
            raise AssertionError(f"condition not met within {timeout}s{last}\n{self._describe()}")
        return result

    async def until(self, predicate: Callable[[FakeBotAPI], T], timeout: float = 10.0) -> T:
        """:meth:`wait_for` for a coroutine on the loop that runs the bot: awaits without
        holding a thread, so many simulated users can wait at once (a thread each would
        exhaust the loop's default executor, which the bot needs to render documents)."""
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()

        def wake() -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(changed.set)

        deadline = loop.time() + timeout
        with self._cond:
            self._wakers.append(wake)
        try:
            while True:
                changed.clear()  # before the check: a change during it wakes the next wait
                remaining = deadline - loop.time()
                with self._cond:
                    result = self._look(predicate, remaining, timeout)
                if result:
                    return result
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), remaining)
        finally:
            with self._cond:
                self._wakers.remove(wake)

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Block until the bot has finished reacting: every queued update was fetched and
        confirmed (by a later getUpdates offset), no call is being answered and no request
        arrived for ``IDLE_QUIET_SECONDS``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                quiet_for = time.monotonic() - self._last_request_at
                if not self._updates and not self._in_flight and quiet_for >= IDLE_QUIET_SECONDS:
                    return
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"bot not idle within {timeout}s\n{self._describe()}")
                self._cond.wait(min(remaining, max(IDLE_QUIET_SECONDS - quiet_for, 0.01)))

    def _notify(self) -> None:
        """Wake every waiter: threads in wait_for/wait_idle, coroutines in until()."""
        self._cond.notify_all()
        for wake in self._wakers:
            wake()

    def _describe(self) -> str:
        lines = [
            f"pending updates: {[update['update_id'] for update in self._updates]}",
            f"calls being answered: {self._in_flight}",
            "last requests:",
            *(f"  {method} {_brief(params)}" for method, params in self._requests[-15:]),
        ]
        if self._errors:
            lines += ["fake server crashes:", *self._errors[-3:]]
        return "\n".join(lines)

    # ---- simulation internals (called by FakeUser/FakeGroup) --------------------------

    def _user_info(self, user_id: int) -> JSONDict:
        with self._cond:
            return dict(self._users[user_id])

    def _private_chat(self, user_id: int) -> _Chat:
        chat = self._chats.get(user_id)
        if chat is None or not chat.is_private:
            raise ValueError(f"unknown user {user_id}: register them with server.user() first")
        return chat

    def _bot_messages(self, chat_id: int, *, include_deleted: bool) -> list[BotMessage]:
        with self._cond:
            chat = self._chats[chat_id]
            return [m.snapshot() for m in chat.bot_messages(include_deleted=include_deleted)]

    def _queue_update(self, kind: str, payload: JSONDict) -> JSONDict:
        update = {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}
        self._updates.append(update)
        self._notify()
        return copy.deepcopy(update)

    def _queue_membership_change(self, user_id: int, *, old: str, new: str) -> None:
        chat = self._private_chat(user_id)

        def member(status: str) -> JSONDict:
            # A "kicked" ChatMember always carries until_date (0: for ever), as on Telegram.
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"status": status, "user": dict(self.bot_user), **extra}

        change = {
            "chat": dict(chat.data),
            "from": dict(self._users[user_id]),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        self._queue_update("my_chat_member", change)

    def _user_writes(self, chat_id: int, user_id: int, text: str) -> JSONDict | None:
        with self._cond:
            chat = self._chats[chat_id]
            content: JSONDict = {"from": dict(self._users[user_id]), "text": text}
            entities = _command_entities(text)
            if entities:
                content["entities"] = entities
            stored = chat.add(content, from_bot=False)
            chat.started = True
            if not self._bot_sees(chat, text):
                return None
            return self._queue_update("message", stored.data)

    def _user_edits(self, chat_id: int, message_id: int, text: str) -> JSONDict:
        with self._cond:
            stored = self._chats[chat_id].messages[message_id]
            assert not stored.from_bot, "a user can only edit their own messages"
            stored.data["text"] = text
            stored.data["edit_date"] = int(time.time())
            stored.changed()
            return self._queue_update("edited_message", dict(stored.data))

    def _bot_sees(self, chat: _Chat, text: str) -> bool:
        """Privacy mode: in groups a non-admin bot only gets commands and mentions."""
        if chat.is_private or self._is_admin(chat.id, self.bot_id):
            return True
        username = self.bot_user["username"].lower()
        if f"@{username}" in text.lower():
            return True
        return any(
            m.group(2) is None or m.group(2).lower() == username
            for m in _BOT_COMMAND.finditer(text)
        )

    def _press_label(self, chat_id: int, user_id: int, label: str) -> str:
        with self._cond:
            chat = self._chats[chat_id]
            stored, button = self._find_button(chat, label)
            return self._queue_callback(chat, user_id, stored.data, button["callback_data"])

    def _press_data(self, chat_id: int, user_id: int, message_id: int, data: str) -> str:
        with self._cond:
            chat = self._chats[chat_id]
            stored = chat.messages.get(message_id)
            # Telegram describes messages the bot cannot see any more with date 0
            # (PTB then reports message.is_accessible == False).
            message = (
                stored.data
                if stored
                else {"chat": dict(chat.data), "message_id": message_id, "date": 0}
            )
            return self._queue_callback(chat, user_id, message, data)

    @staticmethod
    def _find_button(chat: _Chat, label: str) -> tuple[_StoredMessage, JSONDict]:
        keyboards = [m for m in reversed(chat.bot_messages()) if _inline_rows(m.data)]
        for stored in keyboards:
            buttons = [button for row in _inline_rows(stored.data) for button in row]
            exact = [button for button in buttons if button["text"] == label]
            partial = [button for button in buttons if label in button["text"]]
            if not exact and len(partial) > 1:
                names = [button["text"] for button in partial]
                raise AssertionError(
                    f"{label!r} is ambiguous in message {stored.data['message_id']}: {names}"
                )
            candidates = exact or partial
            if not candidates:
                continue
            button = candidates[0]
            if "callback_data" not in button:
                raise AssertionError(
                    f"button {button['text']!r} in message {stored.data['message_id']} is not a "
                    f"callback button ({_brief(button)}); pressing it sends the bot nothing"
                )
            return stored, button
        available = [f"message {m.data['message_id']}: {_button_labels(m.data)}" for m in keyboards]
        raise AssertionError(
            f"no inline button matching {label!r} in chat {chat.id}; available: "
            + ("; ".join(available) or "no bot message has an inline keyboard")
        )

    def _queue_callback(self, chat: _Chat, user_id: int, message: JSONDict, data: str) -> str:
        query_id = str(next(self._query_ids))
        self._callback_answers[query_id] = None
        query = {
            "id": query_id,
            "from": dict(self._users[user_id]),
            "message": message,
            "chat_instance": f"{chat.id}{self.bot_id}",
            "data": data,
        }
        self._queue_update("callback_query", query)
        return query_id

    # ---- HTTP plumbing ----------------------------------------------------------------

    def _connection_opened(self, connection: socket.socket) -> None:
        with self._cond:
            self._connections.add(connection)

    def _connection_closed(self, connection: socket.socket) -> None:
        with self._cond:
            self._connections.discard(connection)

    def _serve(self, handler: _RequestHandler) -> None:
        """Answer one HTTP request. Never lets an exception reach the server thread."""
        admitted: _Call | None = None
        reply: tuple[int, bytes] | None
        try:
            call = self._parse_call(handler)
            admitted = self._admit(call)
            reply = self._reply_to(call)
        except ApiError as error:
            reply = error.reply()
        except Exception as exc:  # a bug in the fake: report it, keep serving
            with self._cond:
                self._errors.append(traceback.format_exc())
            reply = ApiError(500, f"Internal Server Error: fake Bot API crashed: {exc!r}").reply()
        try:
            _send_reply(handler, reply)
        except OSError:
            handler.close_connection = True  # the client is gone (e.g. a cancelled long poll)
        finally:
            if admitted is not None:
                self._finish(admitted)

    def _parse_call(self, handler: BaseHTTPRequestHandler) -> _Call:
        body = _read_body(handler)  # always drain it, or the keep-alive stream desyncs
        url = urlsplit(handler.path)
        match = _PATH.fullmatch(url.path)
        if match is None:
            raise ApiError(404, "Not Found")
        if match["token"] != self.token:
            raise ApiError(401, "Unauthorized")
        raw = dict(parse_qsl(url.query, keep_blank_values=True))
        raw.update(_parse_body(handler.headers.get("Content-Type", ""), body))
        params = {name: _coerce(name, value) for name, value in raw.items()}
        method, attribute = _API_METHODS.get(match["method"].lower(), (match["method"], None))
        return _Call(method, params, attribute)

    def _admit(self, call: _Call) -> _Call:
        with self._cond:
            self._requests.append((call.method, call.params))
            self._last_request_at = time.monotonic()
            if not call.is_long_poll:
                self._in_flight += 1
            self._notify()
        return call

    def _finish(self, call: _Call) -> None:
        with self._cond:
            if not call.is_long_poll:
                self._in_flight -= 1
            self._notify()

    def _reply_to(self, call: _Call) -> tuple[int, bytes] | None:
        """Run the call, applying any injected fault; None means hang up silently."""
        if call.handler is None:
            raise bad_request("method not found")
        with self._cond:
            self._keep_flood_limits(call)
            faults = self._faults.get(call.method)
            fault = faults.pop(0) if faults else None
        if fault is None:
            return self._run(call)
        if fault.drop or fault.status is not None:
            self._stopping.wait(fault.delay)
            if fault.drop:
                return None
            raise fault.error()
        reply = self._run(call)
        self._stopping.wait(fault.delay)
        return reply

    def _keep_flood_limits(self, call: _Call) -> None:
        """Refuse a counted call beyond a window with 429 (called with the lock held)."""
        limits = self._flood_limits
        chat_id = call.params.get("chat_id")
        if limits is None or chat_id in (None, "") or call.method.startswith("get"):
            return
        group = isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)
        windows = [
            ("bot", limits.per_bot),
            (chat_id, limits.per_group if group else limits.per_chat),
        ]
        now = self.flood_clock()
        floods = [self._floods.setdefault(key, _Flood(*window)) for key, window in windows]
        wait = max(flood.wait(now, limits.penalty) for flood in floods)
        if wait > 0:
            self._flood_refusals[call.method] += 1
            retry_after = max(1, math.ceil(wait))
            raise ApiError(
                HTTPStatus.TOO_MANY_REQUESTS,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        for flood in floods:
            flood.count()

    def _run(self, call: _Call) -> tuple[int, bytes]:
        assert call.handler is not None
        with self._cond:
            result = getattr(self, call.handler)(call.params)
            # Serialise under the lock so a concurrent edit cannot tear the reply.
            return 200, _json_bytes({"ok": True, "result": result})

    # ---- shared checks for method handlers (called with the lock held) ----------------

    def _chat(self, params: JSONDict) -> _Chat:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise bad_request("chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _writable_chat(self, params: JSONDict) -> _Chat:
        chat = self._chat(params)
        if chat.id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.is_private and not chat.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    @staticmethod
    def _message(chat: _Chat, params: JSONDict, action: str) -> _StoredMessage:
        message_id = params.get("message_id")
        stored = chat.messages.get(message_id) if isinstance(message_id, int) else None
        if stored is None or stored.deleted:
            raise bad_request(f"message to {action} not found")
        return stored

    def _editable_message(self, params: JSONDict) -> _StoredMessage:
        if params.get("inline_message_id"):
            raise bad_request("inline_message_id is not supported by the fake Bot API")
        stored = self._message(self._writable_chat(params), params, "edit")
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        return stored

    def _is_admin(self, chat_id: int, user_id: int) -> bool:
        return user_id in self._admins.get(chat_id, ())

    def _require_pin_rights(self, chat: _Chat) -> None:
        if not chat.is_private and not self._is_admin(chat.id, self.bot_id):
            raise bad_request("not enough rights to manage pinned messages in the chat")

    def _reply_target(self, chat: _Chat, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        reply = reply if isinstance(reply, dict) else {}
        message_id = reply.get("message_id") or params.get("reply_to_message_id")
        if not message_id:
            return None
        target = chat.messages.get(message_id)
        if target is not None and not target.deleted:
            quoted = copy.deepcopy(target.data)
            quoted.pop("reply_to_message", None)  # Telegram nests replies one level only
            return quoted
        if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")

    def _send_bot_message(
        self, chat: _Chat, params: JSONDict, content: JSONDict, **extra: Any
    ) -> JSONDict:
        """Store a message from the bot with the parts every send method shares."""
        markup = _inline_markup(params)
        content = {"from": dict(self.bot_user), **content}
        if markup:
            content["reply_markup"] = markup
        if params.get("message_thread_id"):
            content["message_thread_id"] = params["message_thread_id"]
        reply_to = self._reply_target(chat, params)
        if reply_to:
            content["reply_to_message"] = reply_to
        return chat.add(content, from_bot=True, sent=params, **extra).data

    def _stored_file(self, value: object) -> tuple[str, UploadedFile]:
        if isinstance(value, UploadedFile):
            if not value.content:
                raise bad_request("file must be non-empty")
            file_id = f"BQACAgIAAxkBAAI{next(self._file_ids):06d}"
            self._files[file_id] = value
            return file_id, value
        if not value:
            raise bad_request("there is no document in the request")
        if isinstance(value, str) and value in self._files:
            return value, self._files[value]
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _member(self, chat: _Chat, user_id: object) -> JSONDict:
        if user_id == self.bot_id:
            user = dict(self.bot_user)
        elif isinstance(user_id, int) and user_id in self._users:
            user = dict(self._users[user_id])
        else:
            raise bad_request("user not found")
        if chat.is_private or not self._is_admin(chat.id, user["id"]):
            return {"status": "member", "user": user}
        return {"status": "administrator", "user": user, **_ADMIN_RIGHTS}

    @staticmethod
    def _commands_key(params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.get("language_code") or ""

    # ---- Bot API methods: _api_<snake_case name>(params) -> result -----------------------

    def _api_get_me(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self._webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset") or 0
        limit = min(max(params.get("limit") or 100, 1), 100)
        deadline = time.monotonic() + max(params.get("timeout") or 0, 0)
        if offset > 0:  # confirms (forgets) every update before it
            self._updates = [update for update in self._updates if update["update_id"] >= offset]
        elif offset < 0:  # keeps only the last -offset updates
            self._updates = self._updates[offset:]
        self._notify()
        self._poll_generation += 1
        generation = self._poll_generation
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            remaining = deadline - time.monotonic()
            if self._updates or remaining <= 0 or self._stopping.is_set():
                return self._updates[:limit]
            self._cond.wait(remaining)

    def _api_set_webhook(self, params: JSONDict) -> bool:
        url = params.get("url") or ""
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self._webhook = dict(params) if url else {}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_delete_webhook(self, params: JSONDict) -> bool:
        self._webhook = {}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_get_webhook_info(self, params: JSONDict) -> JSONDict:
        return {
            "url": self._webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _api_log_out(self, params: JSONDict) -> bool:
        return True

    def _api_close(self, params: JSONDict) -> bool:
        return True

    def _api_send_message(self, params: JSONDict) -> JSONDict:
        chat = self._writable_chat(params)
        text, entities = _formatted(params, "text", "entities")
        content: JSONDict = {"text": _check_text(text)}
        _set_or_drop(content, "entities", entities)
        return self._send_bot_message(chat, params, content)

    def _api_send_document(self, params: JSONDict) -> JSONDict:
        chat = self._writable_chat(params)
        file_id, file = self._stored_file(params.get("document"))
        caption, caption_entities = _formatted(params, "caption", "caption_entities")
        if caption and len(caption) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        document = {
            "file_id": file_id,
            "file_unique_id": f"AgAD{file_id[-6:]}",
            "file_name": file.filename,
            "mime_type": file.mime_type or "application/octet-stream",
            "file_size": len(file.content),
        }
        content: JSONDict = {"document": document}
        _set_or_drop(content, "caption", caption)
        _set_or_drop(content, "caption_entities", caption_entities)
        return self._send_bot_message(chat, params, content, document=file)

    def _api_send_photo(self, params: JSONDict) -> JSONDict:
        chat = self._writable_chat(params)
        file_id, file = self._stored_file(params.get("photo"))
        if not file.content.startswith(b"\x89PNG\r\n\x1a\n") and not file.content.startswith(
            b"\xff\xd8"
        ):
            raise bad_request("IMAGE_PROCESS_FAILED")
        caption, caption_entities = _formatted(params, "caption", "caption_entities")
        if caption and len(caption) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        size = {"file_id": file_id, "file_unique_id": f"AgAD{file_id[-6:]}", "width": 0,
                "height": 0, "file_size": len(file.content)}  # fmt: skip
        content: JSONDict = {"photo": [size]}
        _set_or_drop(content, "caption", caption)
        _set_or_drop(content, "caption_entities", caption_entities)
        return self._send_bot_message(chat, params, content, document=file)

    def _api_edit_message_text(self, params: JSONDict) -> JSONDict:
        stored = self._editable_message(params)
        if "text" not in stored.data:
            raise bad_request("there is no text in the message to edit")
        text, entities = _formatted(params, "text", "entities")
        text = _check_text(text)
        # Without reply_markup an edit removes the inline keyboard, as on Telegram.
        markup = _inline_markup(params)
        current = (
            stored.data["text"],
            stored.data.get("entities", []),
            stored.data.get("reply_markup"),
        )
        if current == (text, entities, markup):
            raise bad_request(NOT_MODIFIED)
        stored.data.update(text=text, edit_date=int(time.time()))
        _set_or_drop(stored.data, "entities", entities)
        _set_or_drop(stored.data, "reply_markup", markup)
        stored.edits.append(text)
        stored.changed()
        return stored.data

    def _api_edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        stored = self._editable_message(params)
        markup = _inline_markup(params)
        if stored.data.get("reply_markup") == markup:
            raise bad_request(NOT_MODIFIED)
        _set_or_drop(stored.data, "reply_markup", markup)
        stored.data["edit_date"] = int(time.time())
        stored.changed()
        return stored.data

    def _api_delete_message(self, params: JSONDict) -> bool:
        chat = self._chat(params)
        stored = self._message(chat, params, "delete")
        if not stored.from_bot and not chat.is_private and not self._is_admin(chat.id, self.bot_id):
            raise bad_request("message can't be deleted")
        stored.deleted = True
        stored.changed()
        return True

    def _api_answer_callback_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._callback_answers or self._callback_answers[query_id] is not None:
            raise bad_request(QUERY_INVALID)
        self._callback_answers[query_id] = params
        return True

    def _api_send_chat_action(self, params: JSONDict) -> bool:
        self._writable_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _api_set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > MAX_COMMANDS:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name = command.get("command") if isinstance(command, dict) else None
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad_request("BOT_COMMAND_INVALID")
        self._commands[self._commands_key(params)] = commands
        return True

    def _api_get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return self._commands.get(self._commands_key(params), [])

    def _api_delete_my_commands(self, params: JSONDict) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _set_profile_text(self, name: str, params: JSONDict) -> bool:
        self._profile_texts[(name, params.get("language_code") or "")] = params.get(name) or ""
        return True

    def _profile_text(self, name: str, params: JSONDict) -> JSONDict:
        language = params.get("language_code") or ""
        value = self._profile_texts.get((name, language)) or self._profile_texts.get((name, ""), "")
        return {name: value}

    def _api_set_my_description(self, params: JSONDict) -> bool:
        return self._set_profile_text("description", params)

    def _api_get_my_description(self, params: JSONDict) -> JSONDict:
        return self._profile_text("description", params)

    def _api_set_my_short_description(self, params: JSONDict) -> bool:
        return self._set_profile_text("short_description", params)

    def _api_get_my_short_description(self, params: JSONDict) -> JSONDict:
        return self._profile_text("short_description", params)

    def _api_set_my_name(self, params: JSONDict) -> bool:
        return self._set_profile_text("name", params)

    def _api_get_my_name(self, params: JSONDict) -> JSONDict:
        return self._profile_text("name", params)

    def _api_get_chat(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params)
        info = {
            **chat.data,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        if chat.pinned:
            info["pinned_message"] = chat.messages[chat.pinned[-1]].data
        return info

    def _api_get_chat_member(self, params: JSONDict) -> JSONDict:
        return self._member(self._chat(params), params.get("user_id"))

    def _api_get_chat_administrators(self, params: JSONDict) -> list[JSONDict]:
        chat = self._chat(params)
        if chat.is_private:
            raise bad_request("there are no administrators in the private chat")
        return [self._member(chat, user_id) for user_id in sorted(self._admins.get(chat.id, ()))]

    def _api_pin_chat_message(self, params: JSONDict) -> bool:
        chat = self._writable_chat(params)
        message_id = self._message(chat, params, "pin").data["message_id"]
        self._require_pin_rights(chat)
        if message_id in chat.pinned:
            chat.pinned.remove(message_id)
        chat.pinned.append(message_id)
        return True

    def _api_unpin_chat_message(self, params: JSONDict) -> bool:
        chat = self._writable_chat(params)
        self._require_pin_rights(chat)
        message_id = params.get("message_id")
        if message_id is None and chat.pinned:
            chat.pinned.pop()
        elif message_id in chat.pinned:
            chat.pinned.remove(message_id)
        return True

    def _api_set_chat_menu_button(self, params: JSONDict) -> bool:
        chat_id = self._chat(params).id if params.get("chat_id") is not None else None
        self._menu_buttons[chat_id] = params.get("menu_button") or {"type": "default"}
        return True

    def _api_get_chat_menu_button(self, params: JSONDict) -> JSONDict:
        chat_id = self._chat(params).id if params.get("chat_id") is not None else None
        return (
            self._menu_buttons.get(chat_id) or self._menu_buttons.get(None) or {"type": "default"}
        )


def _api_method_table() -> dict[str, tuple[str, str]]:
    """Map lowercased Bot API method names (Telegram ignores case) to (canonical, handler)."""
    table = {}
    for attribute in vars(FakeBotAPI):
        if attribute.startswith("_api_"):
            words = attribute.removeprefix("_api_").split("_")
            canonical = words[0] + "".join(word.title() for word in words[1:])
            table[canonical.lower()] = (canonical, attribute)
    return table


_API_METHODS = _api_method_table()


def _send_reply(handler: BaseHTTPRequestHandler, reply: tuple[int, bytes] | None) -> None:
    if reply is None:
        handler.close_connection = True  # injected fault: hang up without answering
        return
    status, body = reply
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True  # a handler stuck in a long poll must not block interpreter exit
    # The stdlib's backlog of 5 drops bursts of new connections (each drop costs the client a
    # one-second retry); a room of owners connecting at once needs more.
    request_queue_size = 256

    def __init__(self, api: FakeBotAPI):
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.api = api


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as HTTP clients expect of api.telegram.org
    # Headers and body go out in separate writes; with Nagle's algorithm the body then
    # waits for the client's delayed ACK, adding ~40 ms to every call.
    disable_nagle_algorithm = True
    server: _HttpServer

    def setup(self) -> None:
        super().setup()
        self.server.api._connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.api._connection_closed(self.connection)

    def do_GET(self) -> None:
        self.server.api._serve(self)

    def do_POST(self) -> None:
        self.server.api._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging; tests inspect ``server.requests`` instead."""
