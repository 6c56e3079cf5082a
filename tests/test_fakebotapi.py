"""Tests of the fake Bot API itself, over raw HTTP and through the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    ChatMemberAdministrator,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
    Update,
)
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakebotapi import NOT_MODIFIED, FakeBotAPI, FakeUser, parse_html
from tests.telegram_harness import TOKEN

# One client for all raw calls: a fresh httpx client per call costs ~35 ms of TLS setup.
HTTP = httpx.Client(timeout=10)


@pytest.fixture
def alex(server: FakeBotAPI) -> FakeUser:
    return server.user(1001, first_name="Alex", language_code="es", started=True)


def call(server: FakeBotAPI, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """POST ``params`` as a JSON body; return (HTTP status, decoded reply)."""
    response = HTTP.post(f"{server.url}/bot{TOKEN}/{method}", json=params)
    return response.status_code, response.json()


def ok(server: FakeBotAPI, method: str, **params: Any) -> Any:
    status, body = call(server, method, **params)
    assert (status, body["ok"]) == (200, True), body
    return body["result"]


def error(server: FakeBotAPI, method: str, **params: Any) -> str:
    status, body = call(server, method, **params)
    assert status == body["error_code"] != 200, body
    assert body["ok"] is False
    return body["description"]


def keyboard(*labels: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": label, "callback_data": label} for label in labels]]}


# ---- transport ----------------------------------------------------------------------


def test_get_me_token_and_method_names(server: FakeBotAPI) -> None:
    me = ok(server, "getMe")
    assert me["username"] == "canasta_test_bot"
    assert me["is_bot"] is True and me["can_read_all_group_messages"] is False
    assert ok(server, "GETME")["id"] == 123456  # Telegram method names ignore case

    wrong = HTTP.get(f"{server.url}/bot999:XYZ/getMe")
    assert (wrong.status_code, wrong.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert call(server, "sendCarrierPigeon") == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: method not found"},
    )
    assert [name for name, _ in server.requests] == ["getMe", "getMe", "sendCarrierPigeon"]


def test_params_are_decoded_from_json_form_and_multipart(
    server: FakeBotAPI, alex: FakeUser
) -> None:
    url = f"{server.url}/bot{TOKEN}/sendMessage"
    markup = '{"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}'
    HTTP.post(url, json={"chat_id": "1001", "text": "json", "reply_markup": keyboard("Go")})
    HTTP.post(url, data={"chat_id": "1001", "text": "123", "reply_markup": markup})
    multipart = {"chat_id": "1001", "text": "multi", "reply_markup": markup}
    HTTP.post(url, data=multipart, files={"x": ("a.txt", b"x")})

    sent = server.calls("sendMessage")
    assert [params["chat_id"] for params in sent] == [1001, 1001, 1001]
    assert sent[1]["text"] == "123"  # a numeric-looking text stays a string
    assert [m.text for m in alex.messages()] == ["json", "123", "multi"]
    decoded = [[("Go", "go")]]  # reply_markup arrived as a JSON string and was decoded
    assert [m.buttons for m in alex.messages()] == [[[("Go", "Go")]], decoded, decoded]


# ---- updates ------------------------------------------------------------------------


def test_long_poll_waits_and_wakes_up_on_a_new_update(server: FakeBotAPI, alex: FakeUser) -> None:
    started = time.monotonic()
    assert ok(server, "getUpdates", timeout=0.3) == []
    assert 0.3 <= time.monotonic() - started < 1

    threading.Timer(0.2, alex.send, args=("hi",)).start()
    started = time.monotonic()
    updates = ok(server, "getUpdates", timeout=5)
    assert 0.2 <= time.monotonic() - started < 1
    assert updates[0]["message"]["text"] == "hi"
    assert updates[0]["message"]["from"]["language_code"] == "es"


def test_offset_confirms_updates_like_telegram(server: FakeBotAPI, alex: FakeUser) -> None:
    ids = [alex.send(text)["update_id"] for text in ("a", "b", "c")]

    def fetch(**params: Any) -> list[int]:
        return [update["update_id"] for update in ok(server, "getUpdates", **params)]

    assert fetch() == ids
    assert fetch() == ids  # fetching alone confirms nothing
    assert fetch(offset=ids[1]) == ids[1:]
    assert fetch(offset=ids[1], limit=1) == [ids[1]]
    assert fetch(offset=-1) == [ids[2]]  # negative offset forgets all but the last ones
    assert fetch() == [ids[2]]
    assert fetch(offset=ids[2] + 1) == []
    server.wait_idle(timeout=1)  # every update confirmed: the fake calls the bot idle


def test_second_poller_terminates_the_first(server: FakeBotAPI) -> None:
    replies: list[tuple[int, dict[str, Any]]] = []
    first = threading.Thread(target=lambda: replies.append(call(server, "getUpdates", timeout=5)))
    first.start()
    server.wait_for(lambda s: s.calls("getUpdates"))
    assert ok(server, "getUpdates") == []
    first.join(timeout=2)
    assert replies == [
        (
            409,
            {
                "ok": False,
                "error_code": 409,
                "description": "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            },
        )
    ]


def test_webhook_is_recorded_and_blocks_polling(server: FakeBotAPI) -> None:
    assert "HTTPS URL must be provided" in error(server, "setWebhook", url="http://bot.example")
    assert ok(server, "setWebhook", url="https://bot.example/hook", secret_token="s3") is True
    assert server.webhook["secret_token"] == "s3"
    assert ok(server, "getWebhookInfo")["url"] == "https://bot.example/hook"
    assert error(server, "getUpdates").startswith("Conflict: can't use getUpdates method")
    assert ok(server, "deleteWebhook") is True
    assert ok(server, "getUpdates") == []
    assert ok(server, "logOut") is True and ok(server, "close") is True


# ---- validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"text": "x" * 4097}, "Bad Request: message is too long"),
        (
            {"text": "<b>x</b>" + "x" * 4096, "parse_mode": "HTML"},
            "Bad Request: message is too long",
        ),
        ({"text": ""}, "Bad Request: message text is empty"),
        ({"text": " \n "}, "Bad Request: message text is empty"),
        ({"text": "<b></b>", "parse_mode": "HTML"}, "Bad Request: message text is empty"),
        ({"text": "x", "reply_markup": keyboard("é" * 33)}, "Bad Request: BUTTON_DATA_INVALID"),
        ({"text": "x", "reply_markup": keyboard("")}, "Bad Request: BUTTON_DATA_INVALID"),
        ({"text": "x", "parse_mode": "HTML5"}, "Bad Request: unsupported parse_mode"),
        ({"text": "x", "reply_to_message_id": 99}, "Bad Request: message to be replied not found"),
        ({"text": "x", "chat_id": 4242}, "Bad Request: chat not found"),
    ],
)
def test_send_message_is_validated_like_telegram(
    server: FakeBotAPI, alex: FakeUser, params: dict[str, Any], description: str
) -> None:
    assert error(server, "sendMessage", **{"chat_id": alex.id, **params}) == description
    assert alex.messages() == []


def test_limits_are_inclusive(server: FakeBotAPI, alex: FakeUser) -> None:
    ok(server, "sendMessage", chat_id=alex.id, text="x" * 4096, reply_markup=keyboard("é" * 32))
    assert len(alex.last_message().text or "") == 4096


def test_text_buttons_are_not_allowed_in_inline_keyboards(
    server: FakeBotAPI, alex: FakeUser
) -> None:
    markup = {"inline_keyboard": [[{"text": "just text"}]]}
    description = error(server, "sendMessage", chat_id=alex.id, text="x", reply_markup=markup)
    assert "Text buttons are unallowed in the inline keyboard" in description


def test_bot_cannot_write_first_or_to_a_blocked_user(server: FakeBotAPI) -> None:
    sam = server.user(1002, first_name="Sam")
    assert error(server, "sendMessage", chat_id=sam.id, text="hi") == (
        "Forbidden: bot can't initiate conversation with a user"
    )
    sam.send("/start")
    ok(server, "sendMessage", chat_id=sam.id, text="hi")

    server.block_user(sam.id)
    assert error(server, "sendMessage", chat_id=sam.id, text="hi") == (
        "Forbidden: bot was blocked by the user"
    )
    assert error(server, "sendChatAction", chat_id=sam.id, action="typing") == (
        "Forbidden: bot was blocked by the user"
    )
    change = ok(server, "getUpdates")[-1]["my_chat_member"]
    assert change["new_chat_member"]["status"] == "kicked"
    server.unblock_user(sam.id)
    assert ok(server, "sendChatAction", chat_id=sam.id, action="typing") is True


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("a <br> b", 'Unsupported start tag "br" at byte offset 2'),
        ("é < 3", 'Unsupported start tag "" at byte offset 3'),  # byte, not character offsets
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<a href>x</a>", 'Expected equal sign in declaration of an attribute of the tag "a" at'),
        ('<tg-emoji emoji-id="x">🙂</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_html_errors_match_telegram(
    server: FakeBotAPI, alex: FakeUser, html: str, problem: str
) -> None:
    description = error(server, "sendMessage", chat_id=alex.id, text=html, parse_mode="HTML")
    assert description.startswith(f"Bad Request: can't parse entities: {problem}")


def test_html_is_rendered_to_text_and_utf16_entities() -> None:
    text, entities = parse_html(
        '😀 <b>bold <i>both</i></b> &lt;&amp;&#33;&nbsp; <a href="https://x.org/?a=1&amp;b">l</a>'
        '<pre><code class="language-python">p</code></pre><blockquote expandable>q</blockquote>'
        '<span class="tg-spoiler">s</span><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert text == "😀 bold both <&!&nbsp; lpqs👍"
    assert entities == [
        {"offset": 3, "length": 9, "type": "bold"},  # the emoji counts 2 UTF-16 units
        {"offset": 8, "length": 4, "type": "italic"},
        {"offset": 23, "length": 1, "type": "text_link", "url": "https://x.org/?a=1&b"},
        {"offset": 24, "length": 1, "type": "pre", "language": "python"},
        {"offset": 25, "length": 1, "type": "expandable_blockquote"},
        {"offset": 26, "length": 1, "type": "spoiler"},
        {
            "offset": 27,
            "length": 2,
            "type": "custom_emoji",
            "custom_emoji_id": "5368324170671202286",
        },
    ]


# ---- editing, deleting, pressing ---------------------------------------------------------


def test_edits_follow_telegram_rules(server: FakeBotAPI, alex: FakeUser) -> None:
    sent = ok(server, "sendMessage", chat_id=alex.id, text="Pick", reply_markup=keyboard("A", "B"))
    target = {"chat_id": alex.id, "message_id": sent["message_id"]}

    same = {"text": "Pick", "reply_markup": keyboard("A", "B")}
    assert error(server, "editMessageText", **target, **same) == f"Bad Request: {NOT_MODIFIED}"
    # <b>Pick</b> renders differently (an entity), so it is a modification.
    ok(
        server,
        "editMessageText",
        **target,
        text="<b>Pick</b>",
        parse_mode="HTML",
        reply_markup=keyboard("A"),
    )
    edited = ok(server, "editMessageText", **target, text="Picked")  # no markup: keyboard goes
    assert "reply_markup" not in edited and edited["edit_date"] >= sent["date"]
    assert error(server, "editMessageReplyMarkup", **target) == f"Bad Request: {NOT_MODIFIED}"
    ok(server, "editMessageReplyMarkup", **target, reply_markup=keyboard("C"))

    message = alex.last_message()
    assert (message.text, message.edits, message.buttons) == (
        "Picked",
        ["Pick", "Picked"],
        [[("C", "C")]],
    )
    assert message.sent["text"] == "Pick"

    assert ok(server, "deleteMessage", **target) is True
    assert alex.messages() == [] and alex.messages(include_deleted=True)[0].deleted
    assert error(server, "deleteMessage", **target) == "Bad Request: message to delete not found"
    assert (
        error(server, "editMessageText", **target, text="x")
        == "Bad Request: message to edit not found"
    )


def test_only_bot_messages_with_text_can_be_edited(server: FakeBotAPI, alex: FakeUser) -> None:
    user_message_id = alex.send("mine")["message"]["message_id"]
    description = error(
        server, "editMessageText", chat_id=alex.id, message_id=user_message_id, text="x"
    )
    assert description == "Bad Request: message can't be edited"
    document = HTTP.post(
        f"{server.url}/bot{TOKEN}/sendDocument",
        data={"chat_id": str(alex.id)},
        files={"document": ("a.txt", b"data", "text/plain")},
    ).json()["result"]
    description = error(
        server, "editMessageText", chat_id=alex.id, message_id=document["message_id"], text="x"
    )
    assert description == "Bad Request: there is no text in the message to edit"


def test_press_finds_the_newest_matching_button(server: FakeBotAPI, alex: FakeUser) -> None:
    ok(server, "sendMessage", chat_id=alex.id, text="old", reply_markup=keyboard("Instagram"))
    url_button = {"text": "Docs", "url": "https://example.org"}
    newest = {"inline_keyboard": [[{"text": "📷 Instagram", "callback_data": "ig"}, url_button]]}
    ok(server, "sendMessage", chat_id=alex.id, text="new", reply_markup=newest)
    ok(server, "sendMessage", chat_id=alex.id, text="no keyboard")

    query_id = alex.press("Instagram")
    query = ok(server, "getUpdates")[-1]["callback_query"]
    assert (query["id"], query["data"], query["message"]["text"]) == (query_id, "ig", "new")
    assert query["from"]["id"] == alex.id

    with pytest.raises(AssertionError, match="not a callback button"):
        alex.press("Docs")
    with pytest.raises(
        AssertionError, match=r"available: message 2: \[\['📷 Instagram', 'Docs'\]\]"
    ):
        alex.press("TikTok")


def test_press_data_forges_queries_even_for_unknown_messages(
    server: FakeBotAPI, alex: FakeUser
) -> None:
    alex.press_data(77, "admin:delete-all")
    query = ok(server, "getUpdates")[0]["callback_query"]
    assert query["data"] == "admin:delete-all"
    assert query["message"] == {
        "chat": {"id": 1001, "type": "private", "first_name": "Alex"},
        "message_id": 77,
        "date": 0,
    }


def test_callback_queries_are_answered_once(server: FakeBotAPI, alex: FakeUser) -> None:
    query_id = alex.press_data(1, "x")
    assert ok(server, "answerCallbackQuery", callback_query_id=query_id, text="Done") is True
    assert server.callback_answer(query_id) == {"callback_query_id": query_id, "text": "Done"}
    too_old = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    assert error(server, "answerCallbackQuery", callback_query_id=query_id) == too_old
    assert error(server, "answerCallbackQuery", callback_query_id="nope") == too_old


# ---- groups, admins, commands -------------------------------------------------------------


def test_group_privacy_mode_and_admins(server: FakeBotAPI, alex: FakeUser) -> None:
    group = server.group(-100123, title="Workshop")
    assert group.send(alex, "just chatting") is None  # privacy mode hides it from the bot
    assert group.send(alex, "/workshop@other_bot x") is None
    update = group.send_command(alex, "workshop", "x")
    assert update is not None
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 9}]
    assert update["message"]["chat"] == {"id": -100123, "type": "supergroup", "title": "Workshop"}

    member = ok(server, "getChatMember", chat_id=group.id, user_id=alex.id)
    assert member == {"status": "member", "user": alex.info}
    assert ok(server, "getChatAdministrators", chat_id=group.id) == []
    pin = {"chat_id": group.id, "message_id": update["message"]["message_id"]}
    assert "not enough rights" in error(server, "pinChatMessage", **pin)

    server.set_admins(group.id, [alex.id, server.bot_id])
    assert (
        ok(server, "getChatMember", chat_id=group.id, user_id=alex.id)["status"] == "administrator"
    )
    assert len(ok(server, "getChatAdministrators", chat_id=group.id)) == 2
    assert group.send(alex, "now the bot sees everything") is not None
    assert ok(server, "pinChatMessage", **pin) is True
    assert ok(server, "getChat", chat_id=group.id)["pinned_message"]["text"] == "/workshop x"
    assert (
        error(server, "getChatMember", chat_id=group.id, user_id=5) == "Bad Request: user not found"
    )


def test_commands_are_kept_per_scope_and_language(server: FakeBotAPI) -> None:
    start = [{"command": "start", "description": "Start"}]
    chat_scope = {"type": "chat", "chat_id": 1001}
    ok(server, "setMyCommands", commands=start)
    ok(server, "setMyCommands", commands=start * 2, language_code="es")
    ok(server, "setMyCommands", commands=[], scope=chat_scope)
    assert ok(server, "getMyCommands") == start
    assert ok(server, "getMyCommands", language_code="es") == start * 2
    assert server.my_commands(chat_scope) == []
    ok(server, "deleteMyCommands", language_code="es")
    assert ok(server, "getMyCommands", language_code="es") == []

    bad = [{"command": "Start-Now", "description": "x"}]
    assert error(server, "setMyCommands", commands=bad) == "Bad Request: BOT_COMMAND_INVALID"


# ---- faults and robustness -----------------------------------------------------------------


def test_injected_faults_fire_once(server: FakeBotAPI, alex: FakeUser) -> None:
    server.fail_next("sendMessage", retry_after=3)
    server.fail_next("SENDMESSAGE", status=502)
    assert call(server, "sendMessage", chat_id=alex.id, text="x") == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        },
    )
    assert call(server, "sendMessage", chat_id=alex.id, text="x")[1]["description"] == "Bad Gateway"
    assert alex.messages() == []
    ok(server, "sendMessage", chat_id=alex.id, text="x")

    server.fail_next("getMe", drop=True)
    with pytest.raises(httpx.RemoteProtocolError):
        HTTP.get(f"{server.url}/bot{TOKEN}/getMe")

    server.fail_next("sendMessage", delay=0.3)
    slow = threading.Thread(
        target=call, args=(server, "sendMessage"), kwargs={"chat_id": alex.id, "text": "slow"}
    )
    started = time.monotonic()
    slow.start()
    server.wait_for(lambda s: alex.last_message().text == "slow", timeout=0.25)  # applied at once
    slow.join()
    assert time.monotonic() - started >= 0.3

    with pytest.raises(ValueError, match="not a method the fake implements"):
        server.fail_next("sendPigeon")


def test_a_crash_in_the_fake_is_reported_and_survived(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeBotAPI(token=TOKEN) as server:

        def broken(params: dict[str, Any]) -> None:
            raise KeyError("boom")

        monkeypatch.setattr(server, "_api_get_me", broken)
        status, body = call(server, "getMe")
        assert status == 500 and "fake Bot API crashed" in body["description"]
        assert "KeyError: 'boom'" in server.errors[0]
        monkeypatch.undo()
        assert ok(server, "getMe")["id"] == 123456


def test_wait_for_timeout_explains_what_happened(server: FakeBotAPI, alex: FakeUser) -> None:
    ok(server, "sendChatAction", chat_id=alex.id, action="typing")
    with pytest.raises(AssertionError) as failure:
        server.wait_for(lambda s: alex.last_message(), timeout=0.1)
    assert "the bot has not sent any message" in str(failure.value)
    assert 'sendChatAction {"chat_id": 1001, "action": "typing"}' in str(failure.value)


# ---- the real python-telegram-bot ------------------------------------------------------------


def build_application(server: FakeBotAPI) -> Application:
    return (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{server.url}/bot")
        .base_file_url(f"{server.url}/file/bot")
        .build()
    )


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("🔁 Again", callback_data="again")]])
    await update.message.reply_text(
        f"<b>{update.message.text}</b>", parse_mode="HTML", reply_markup=buttons
    )


async def again(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Once more")
    await query.edit_message_text(f"again: {query.data}")


async def broken_html(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    try:
        await context.bot.send_message(update.effective_chat.id, "1 < 2", parse_mode="HTML")
    except BadRequest as failure:
        await context.bot.send_message(update.effective_chat.id, f"failed: {failure.message}")


@pytest.mark.asyncio
async def test_real_application_round_trip(server: FakeBotAPI, alex: FakeUser) -> None:
    app = build_application(server)
    app.add_handler(CommandHandler("html", broken_html))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(again))
    updater = app.updater
    assert updater is not None
    await app.initialize()
    await app.start()
    await updater.start_polling(poll_interval=0, timeout=1)
    try:
        alex.send("hello")
        reply = await server.until(lambda _: alex.last_message())
        assert (reply.text, reply.entities) == (
            "hello",
            [{"offset": 0, "length": 5, "type": "bold"}],
        )

        query_id = alex.press("Again")
        await server.until(lambda _: alex.last_message().edits)
        assert alex.last_message().text == "again: again"
        assert alex.last_message().buttons == []
        assert server.callback_answer(query_id) == {
            "callback_query_id": query_id,
            "text": "Once more",
        }

        alex.send_command("html")
        reply = await server.until(lambda _: len(alex.messages()) == 2 and alex.last_message())
        assert reply.text == (
            'failed: Can\'t parse entities: unsupported start tag "" at byte offset 2'
        )
    finally:
        await updater.stop()
        await app.stop()
        await app.shutdown()

    methods = [method for method, _ in server.requests]
    assert methods[:3] == ["getMe", "deleteWebhook", "getUpdates"]
    assert methods[-1] == "getUpdates"  # PTB confirms the last offset on the way out
    assert server.calls("getUpdates")[-1]["timeout"] == 0


@pytest.mark.asyncio
# PTB 22 itself warns while building RetryAfter from the int Telegram sends.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_ptb_bot_understands_every_reply(server: FakeBotAPI, alex: FakeUser) -> None:
    group = server.group(-100123, title="Workshop")
    server.set_admins(group.id, [alex.id])
    async with Bot(
        TOKEN, base_url=f"{server.url}/bot", base_file_url=f"{server.url}/file/bot"
    ) as bot:
        message = await bot.send_document(
            alex.id,
            document=b"a;b\r\n1;2\r\n\x00",
            filename="plan.csv",
            caption="<i>Plan</i>",
            parse_mode="HTML",
        )
        assert message.document is not None and message.document.file_name == "plan.csv"
        shown = alex.last_message()
        assert shown.document is not None and shown.document.content == b"a;b\r\n1;2\r\n\x00"
        assert (shown.caption, shown.document.mime_type) == ("Plan", "text/csv")
        again = await bot.send_document(group.id, document=message.document.file_id)
        assert again.document is not None and again.document.file_size == 11

        scope = BotCommandScopeChat(alex.id)
        await bot.set_my_commands([BotCommand("start", "Empezar")], scope=scope, language_code="es")
        commands = await bot.get_my_commands(scope=scope, language_code="es")
        assert commands == (BotCommand("start", "Empezar"),)
        await bot.set_my_description("Audit", language_code="es")
        assert (await bot.get_my_description("es")).description == "Audit"
        await bot.set_my_short_description("Short")
        await bot.set_my_name("Canasta")
        assert (await bot.get_my_name("fr")).name == "Canasta"  # falls back to the default

        await bot.set_chat_menu_button(alex.id, MenuButtonCommands())
        assert isinstance(await bot.get_chat_menu_button(alex.id), MenuButtonCommands)
        assert (await bot.get_chat(alex.id)).first_name == "Alex"
        member = await bot.get_chat_member(group.id, alex.id)
        assert isinstance(member, ChatMemberAdministrator)
        assert (await bot.get_chat_administrators(group.id))[0].user.id == alex.id

        sent = await bot.send_message(
            alex.id,
            "x",
            reply_markup=InlineKeyboardMarkup.from_button(
                InlineKeyboardButton("A", callback_data="a")
            ),
        )
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_reply_markup(
                alex.id, sent.message_id, reply_markup=sent.reply_markup
            )
        assert await bot.pin_chat_message(alex.id, sent.message_id)
        assert await bot.unpin_chat_message(alex.id)

        alex.press_data(404, "stale")
        [update] = await bot.get_updates()
        assert update.callback_query is not None and update.callback_query.message is not None
        assert update.callback_query.message.is_accessible is False

        server.fail_next("sendMessage", retry_after=2)
        with pytest.raises(RetryAfter, match="Retry in 2 seconds"):
            await bot.send_message(alex.id, "x")
        server.block_user(alex.id)
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(alex.id, "x")


@pytest.mark.asyncio
async def test_until_wakes_on_the_change_and_explains_a_timeout(
    server: FakeBotAPI, alex: FakeUser
) -> None:
    # The bot's reply arrives from another thread while the coroutine awaits it.
    sender = threading.Thread(target=call, args=(server, "sendMessage"), kwargs={
        "chat_id": alex.id, "text": "late"
    })  # fmt: skip
    waiting = asyncio.ensure_future(server.until(lambda _: alex.last_message().text, 5.0))
    sender.start()
    assert await waiting == "late"
    sender.join()
    with pytest.raises(AssertionError) as failure:
        await server.until(lambda _: len(alex.messages()) > 1, timeout=0.1)
    assert 'sendMessage {"chat_id": 1001, "text": "late"}' in str(failure.value)
    assert server._wakers == []  # no waker is left behind to call into a closed loop
