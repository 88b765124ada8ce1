import codecs
import gzip
import re
import socket
import time

import pytest

import servers
from conftest import FIXTURES, PROPAGANDA
from servers import serve
from spinlens import ingest
from spinlens.errors import FetchError, InputError
from spinlens.ingest import web


def test_text_is_kept_exactly():
    assert ingest.from_text(PROPAGANDA).text == PROPAGANDA


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        ("café au lait for everyone".encode("latin-1"), "not valid UTF-8"),
        (b"<html><body><p>unclosed <b>tags <script>alert(1)</script>", "no article text"),
        ("Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Rechte der Mieter stärken soll. "
         "Die Opposition kritisierte den Entwurf scharf und sprach von einem Versagen der Regierung.".encode(), "English"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(data, message):
    with pytest.raises(InputError, match=message):
        ingest.from_bytes(data, "input.html" if data.startswith(b"<html") else "input.txt")


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(20_000_000)
    with pytest.raises(InputError, match="limit"):
        ingest.from_file(path)


def test_html_main_text_and_metadata():
    article = ingest.from_file(FIXTURES / "article.html")
    assert article.title == "The Great Betrayal of Our Nation"
    assert article.metadata["author"] == "Jane Writer"
    assert "Make no mistake" in article.text
    assert "tracking" not in article.text and "Privacy" not in article.text


@pytest.mark.parametrize("host", [
    "127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "0.0.0.0", "localhost",
    # private IPv4 reached through IPv6 (NAT64, IPv4-compatible, 6to4), reserved and protocol-assignment space
    "64:ff9b::a00:1", "::127.0.0.1", "2002:7f00:1::", "240.0.0.1", "192.0.0.8",
])
def test_private_addresses_are_refused(host):
    with pytest.raises(FetchError, match="non-public"):
        ingest.check_address(host, 80)


@pytest.mark.parametrize("host", ["8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808"])
def test_public_addresses_pass(host):
    # A NAT64 address of a public IPv4 host is what DNS64 gives every site on an IPv6-only network.
    assert ingest.check_address(host, 80) == host


def test_non_http_urls_are_refused():
    with pytest.raises(FetchError, match="http"):
        ingest.fetch("file:///etc/passwd")


@pytest.fixture
def loopback_allowed(monkeypatch):
    """Let the test server on 127.0.0.1 through, and check every other host as usual."""
    original = ingest.check_address

    def check(host, port, allow_private=False, **kwargs):
        return "127.0.0.1" if host == "127.0.0.1" else original(host, port, allow_private, **kwargs)

    monkeypatch.setattr(web, "check_address", check)


def test_url_with_redirect_is_fetched(loopback_allowed):
    with serve() as base:
        article = ingest.from_url(base + "/to-article")
    assert article.url == base + "/article.html"
    assert "Make no mistake" in article.text


@pytest.mark.parametrize("path", ["/to-private", "/to-metadata"])
def test_redirect_to_a_private_address_is_refused(loopback_allowed, path):
    with serve() as base, pytest.raises(FetchError, match="non-public"):
        ingest.fetch(base + path)


def test_oversized_download_is_cut_off(loopback_allowed):
    with serve() as base, pytest.raises(FetchError, match="limit"):
        ingest.fetch(base + "/huge", max_bytes=1_000_000)


def test_http_errors_are_reported(loopback_allowed):
    with serve() as base, pytest.raises(FetchError, match="404"):
        ingest.fetch(base + "/missing")


# Short enough (< 20 words) to slip past the word-based check: letters, not words, must refuse them.
@pytest.mark.parametrize(
    "text",
    [
        "国务院新闻办公室今天举行新闻发布会，介绍今年前三季度国民经济运行情况。国家统计局发言人表示，经济运行总体平稳，就业形势基本稳定，居民收入继续增长。",
        "政府は木曜日、新しい経済対策を発表した。首相は記者会見で、物価の上昇に対応するため、家計への支援を強化すると述べた。野党はこの対策が不十分だと批判している。",
        "Правительство в четверг объявило о новых мерах поддержки экономики. Оппозиция назвала эти меры недостаточными и потребовала отставки министра.",
        "أعلنت الحكومة يوم الخميس عن إجراءات جديدة لدعم الاقتصاد، وقالت المعارضة إن هذه الإجراءات غير كافية وطالبت باستقالة الوزير.",
    ],
    ids=["chinese", "japanese", "russian", "arabic"],
)
def test_non_latin_script_text_is_refused(text):
    with pytest.raises(InputError, match="does not look like English"):
        ingest.check_text(text)


# Strings (the API's JSON, the library) never met the byte checks of files, and short texts were too
# short for the English check: all of these were analysed and stored.
@pytest.mark.parametrize(
    "text, message",
    [
        ("\u0000\u0001\u0002\u0003binary\u0000\u0000\u00ff", "binary"),
        ("\u200b\u200b\u200b", "no letters or digits"),
        ("\ufeff", "no letters or digits"),
        ("!!!! ???? .... ,,,,", "no letters or digits"),
        ("Der Bundestag hat heute ein neues Gesetz verabschiedet, das die Steuern erhöht und die Bürger belastet.", "English"),
        ("Le gouvernement français a annoncé aujourd'hui une nouvelle réforme des retraites.", "English"),
        ("El gobierno anunció hoy una nueva reforma de las pensiones para los trabajadores.", "English"),
        # Italian and Portuguese counted "i", "in" and "a" as English words and too few function words as their own.
        ("Oggi il governo ha approvato la nuova legge sul lavoro. Il ministro ha detto che i cambiamenti entreranno "
         "in vigore dal prossimo anno per tutti i lavoratori del paese.", "English"),
        ("O governo aprovou hoje uma nova lei que também foi criticada pela oposição e pelos sindicatos.", "English"),
        ("Hükümet bugün yeni bir yasa kabul etti ve bu yasa gelecek yıl için çok önemli olarak görülüyor.", "English"),
        ("Chính phủ đã thông qua luật mới và những người dân có thể được hưởng lợi trong năm tới.", "English"),
        ("これは日本語のニュース記事です。政府は本日、新しい経済政策を発表しました。", "English"),
        ("中国政府今天宣布了新的经济政策，以促进国内消费和就业。", "English"),
    ],
)
def test_short_or_empty_or_binary_strings_are_refused(text, message):
    with pytest.raises(InputError, match=message):
        ingest.check_text(text)


@pytest.mark.parametrize(
    "text",
    ["a", "Senate passes sweeping tax overhaul bill late Friday night", "Las Vegas gunman's motive still unknown",
     "Los Angeles and El Paso mayors meet in Las Vegas", "Dem Congressman Praises Hitler-Loving Anti-Semite",
     "De Blasio and Van Der Berg met Da Silva for a tea at the Bir Hakeim bridge."],
)
def test_short_english_passes(text):
    # Headlines have few function words and names such as "Las Vegas" are foreign ones.
    assert ingest.check_text(text) == text


def test_english_quoting_foreign_words_passes():
    text = PROPAGANDA + " Outside the embassy the crowd chanted “中华人民共和国万岁” and “Слава России” for an hour."
    assert ingest.from_text(text).text == text


def test_lone_surrogate_is_refused():
    with pytest.raises(InputError, match=r"lone surrogate \(U\+D800\) at character 5"):
        ingest.check_text("Make \ud800" + PROPAGANDA)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_byte_order_mark_decides_the_encoding_and_is_dropped(tmp_path, encoding):
    path = tmp_path / "article.txt"
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    path.write_bytes(bom + PROPAGANDA.encode(encoding))
    assert ingest.from_file(path).text == PROPAGANDA


def test_broken_utf16_is_refused():
    with pytest.raises(InputError, match="not valid UTF-16"):
        ingest.from_bytes(b"\xff\xfe" + "Make no mistake".encode("utf-16-le") + b"\x00\xd8", "input.txt")


# English with a curly apostrophe and quotes and an accent, which Latin-1/Windows-1252 encodes differently from UTF-8.
STORY = (
    "The mayor’s new café plan was called “reckless” by critics on Monday. They said that the city could not afford "
    "it and that the council had ignored the people who live in the old town, where rents have doubled in five years."
)


@pytest.mark.parametrize(
    "head", ['<meta charset="windows-1252">', '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">']
)
def test_html_file_with_a_meta_charset_is_decoded_with_it(tmp_path, head):
    path = tmp_path / "story.html"
    path.write_bytes(f"<html><head>{head}<title>Café</title></head><body><article><p>{STORY}</p></article></body></html>".encode("cp1252"))
    assert ingest.from_file(path).text == STORY


def test_unknown_meta_charset_is_refused():
    with pytest.raises(InputError, match="unknown charset 'klingon'"):
        ingest.from_bytes(f'<html><head><meta charset="klingon"></head><body><p>{STORY}</p></body></html>'.encode(), "story.html")


def page(head: str = "", footer: str = "") -> str:
    return f"<html><head><title>Café plan</title>{head}</head><body><article><p>{STORY}</p></article><footer>{footer}</footer></body></html>"


def test_no_date_is_guessed_from_a_copyright_line():
    article = ingest.from_html(page(footer="© 2024 Daily Example. All rights reserved."))
    assert "date" not in article.metadata


def test_declared_date_is_kept():
    article = ingest.from_html(page(head='<meta property="article:published_time" content="2018-11-02T09:30:00Z">', footer="© 2024 Daily Example"))
    assert article.metadata["date"] == "2018-11-02"


class MoreRoutes(servers.Handler):
    def do_GET(self):
        pages = {
            "/story.txt": (STORY.encode(), "text/plain"),
            "/latin1.html": (page().encode("cp1252"), "text/html; charset=iso-8859-1"),
            "/cp1252.txt": (STORY.encode("cp1252"), "text/plain; charset=windows-1252"),
            "/klingon.txt": (STORY.encode(), "text/plain; charset=klingon"),
            "/host": (self.headers["Host"].encode(), "text/plain"),
            # a page that opens with neither <!doctype> nor <html>: only the Content-Type says it is HTML
            "/bare.html": (f"<script>var x = 1;</script>\n{page()}".encode(), "text/html"),
        }
        if self.path in pages:
            self._send(200, *pages[self.path])
        elif self.path == "/to-story":
            self._redirect("/story.txt")
        elif self.path == "/pdf":
            self._send(200, b"%PDF-1.4\n" + STORY.encode(), "application/pdf")
        elif self.path == "/nowhere":
            self._redirect("")
        elif self.path == "/gzip-twice":
            body = gzip.compress(gzip.compress(STORY.encode()))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Encoding", "gzip, gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/to-bad-port":
            self._redirect("http://example.org:99999/story")
        elif self.path == "/to-bad-host":
            self._redirect("http://a]b/story")
        elif self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(50):  # 10 s, each chunk well within the read timeout
                    self.wfile.write(b"word ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            super().do_GET()


@pytest.fixture
def more_routes(monkeypatch, loopback_allowed):
    monkeypatch.setattr(servers, "Handler", MoreRoutes)


def test_text_url_fills_url_after_redirects(more_routes):
    with serve() as base:
        article = ingest.from_url(base + "/to-story")
    assert (article.url, article.source, article.text) == (base + "/story.txt", None, STORY)


def test_a_page_served_as_html_is_read_as_html_however_it_opens(more_routes):
    with serve() as base:
        article = ingest.from_url(base + "/bare.html")
    assert article.text == STORY and article.title == "Café plan"
    commented = f"<!-- served by X -->\n<!DOCTYPE html><html><body><article><p>{STORY}</p></article></body></html>"
    assert ingest.from_bytes(commented.encode(), "standard input").text == STORY


@pytest.mark.parametrize("path", ["/latin1.html", "/cp1252.txt"])
def test_charset_declared_over_http_is_honoured(more_routes, path):
    with serve() as base:
        assert ingest.from_url(base + path).text == STORY


def test_unknown_http_charset_is_refused(more_routes):
    with serve() as base, pytest.raises(InputError, match="unknown charset 'klingon'"):
        ingest.from_url(base + "/klingon.txt")


@pytest.mark.parametrize("path, message", [
    ("/pdf", "is application/pdf, not a text or HTML page"),
    ("/nowhere", "answered HTTP 302 without a page or a place to go"),
    # each layer multiplies what a chunk inflates to before the size limit looks (4 KB became 2 GB)
    ("/gzip-twice", "compressed more than once (gzip, gzip)"),
])
def test_what_is_no_page_is_refused(more_routes, path, message):
    with serve() as base, pytest.raises(FetchError, match=re.escape(message)):
        ingest.from_url(base + path)


def test_urls_with_credentials_are_refused(loopback_allowed):
    with pytest.raises(FetchError, match="user name or password"):
        ingest.fetch("http://user:secret@127.0.0.1:9/story")


@pytest.mark.parametrize("charset", ["unicode_escape", "punycode", "utf-7", "base64"])
def test_python_codecs_that_are_no_web_charsets_are_refused(charset):
    page = f'<html><head><meta charset="{charset}"></head><body><p>{STORY}</p></body></html>'.encode()
    with pytest.raises(InputError, match="charset"):
        ingest.from_bytes(page, "page.html")


def test_a_nul_past_the_first_bytes_is_binary():
    data = (STORY + " ") * 60 + "\x00" * 100
    with pytest.raises(InputError, match="binary"):
        ingest.from_bytes(data.encode(), "notes.txt")
    with pytest.raises(InputError, match="binary"):
        ingest.check_processable(data)


def test_whole_fetch_has_a_deadline(more_routes, monkeypatch):
    monkeypatch.setattr(web, "FETCH_DEADLINE", 1.0)
    started = time.monotonic()
    with serve() as base, pytest.raises(FetchError, match="longer than 1 s"):
        ingest.fetch(base + "/trickle")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "url", ["http://example.org:99999/", "http://example.org:port/", "http://[::1/story", "http://127.0.0.1:9/a\x01b"]
)
def test_unusable_urls_are_refused(loopback_allowed, url):
    with pytest.raises(FetchError, match="not a valid URL"):
        ingest.fetch(url)


@pytest.mark.parametrize("path, message", [("/to-bad-port", "not a valid URL: http://example.org:99999/story"), ("/to-bad-host", "invalid URL: http://a]b/story")])
def test_redirect_to_an_unusable_url_is_refused(more_routes, path, message):
    with serve() as base, pytest.raises(FetchError, match=re.escape(message)):
        ingest.fetch(base + path)


def test_internationalised_host_is_sent_in_ascii(monkeypatch):
    resolved = []

    def check(host, port, allow_private=False, **kwargs):
        resolved.append(host)
        return "127.0.0.1"

    monkeypatch.setattr(web, "check_address", check)
    monkeypatch.setattr(servers, "Handler", MoreRoutes)
    with serve() as base:
        port = base.rsplit(":", 1)[1]
        body = ingest.fetch(f"http://bücher.example:{port}/host").body
    assert resolved == ["xn--bcher-kva.example"] and body == f"xn--bcher-kva.example:{port}".encode()


def test_a_slow_host_lookup_is_cut_off(monkeypatch):
    def slow_lookup(*args, **kwargs):
        time.sleep(2)
        return [(None, None, None, "", ("93.184.216.34", 80))]

    monkeypatch.setattr(socket, "getaddrinfo", slow_lookup)
    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 0.2 s"):
        ingest.check_address("slow.example", 80, timeout=0.2)
    assert time.monotonic() - started < 1.5


def test_a_text_past_the_character_limit_is_refused(tmp_path):
    # Under the 5 MB file limit, a 3 MB text took over 8 GB to analyse (attribution linking grows faster
    # than the text); texts are capped at 500,000 characters.
    long = (PROPAGANDA + "\n") * (ingest.MAX_TEXT_CHARS // len(PROPAGANDA) + 1)
    assert len(long.encode()) < ingest.MAX_BYTES
    with pytest.raises(InputError, match="the limit is 500,000"):
        ingest.from_text(long)
    path = tmp_path / "long.txt"
    path.write_text(long, encoding="utf-8")
    with pytest.raises(InputError, match="the limit is 500,000"):
        ingest.from_file(path)


_BODY = ("<p>The city council voted on Tuesday night to approve a controversial plan that critics call a reckless "
         "giveaway to developers, ending months of bitter debate over the future of the waterfront.</p>"
         "<p>Maria Lopez, a longtime resident, called it <q>a disgraceful betrayal</q> and vowed to keep protesting "
         "until the council listens to the people who live here.</p>"
         "<p>Opponents have said they will challenge the decision in court before the end of the year.</p>")


def _page(head: str = "", body: str = _BODY) -> str:
    return f"<html><head>{head}<title>Council approves plan</title></head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + _page().encode("utf-8"),
    _page().encode("utf-16"),  # with its byte-order mark
    ("<script>var analytics = 1;</script>" + _page()).encode("utf-8"),
], ids=["utf-8 bom", "utf-16 bom", "leading script"])
def test_a_page_is_known_by_its_characters_whatever_its_name(data):
    # From standard input (or saved as .php) a page opening with a byte-order mark or a <script> was
    # analysed as raw markup: doctype, CSS and all.
    article = ingest.from_bytes(data, "standard input")
    assert article.title == "Council approves plan" and article.text.startswith("The city council voted") and "<" not in article.text


def test_a_page_keeps_what_browsers_show():
    # lxml dropped every paragraph after a stray </html>, and <q> lost its quotation marks.
    body = _BODY.replace("</p><p>Opponents", "</p></html></body><p>Opponents")
    article = ingest.from_html(_page(body=body))
    assert "challenge the decision in court" in article.text
    assert "called it “a disgraceful betrayal” and vowed" in article.text


@pytest.mark.parametrize("head, encoding", [
    ('<!-- <meta charset="iso-8859-1"> --><meta charset="utf-8">', "utf-8"),  # a commented-out tag declares nothing
    ('<link rel="preload" href="/x.js">' * 80 + '<meta charset="windows-1252">', "cp1252"),  # declared past the first 2 KB
    ('<meta charset="x-user-defined">', "cp1252"),  # browsers read these labels as windows-1252 and UTF-16 (so UTF-8)
    ('<meta charset="unicode">', "utf-8"),
], ids=["commented out", "late", "x-user-defined", "unicode"])
def test_declared_charsets_are_read_as_browsers_read_them(head, encoding):
    page = _page(head, _BODY.replace("longtime", "long‘time’"))
    assert "long‘time’" in ingest.from_bytes(page.encode(encoding), "page.html").text


def test_a_latin1_xhtml_page_is_decoded_by_its_xml_declaration():
    page = '<?xml version="1.0" encoding="ISO-8859-1"?>' + _page(body=_BODY.replace("longtime", "long-time café"))
    assert "café" in ingest.from_bytes(page.encode("latin-1"), "page.xhtml").text


def test_a_page_of_menus_and_links_has_no_article():
    # Over 25 words, but not one sentence: a page with only a headline was analysed as its navigation.
    menu = "".join(f"<li><a href='/{w}'>{w}</a></li>" for w in "Home News Local Politics Business Sports Opinion Weather".split())
    related = "".join(f"<li><a href='/r{i}'>Ferry service to resume after the long winter repairs number {i}</a></li>" for i in range(4))
    page = f"<html><head><title>Council approves plan</title></head><body><nav><ul>{menu}</ul></nav><h1>Council approves plan</h1><ul>{related}</ul></body></html>"
    with pytest.raises(InputError, match="no article text found"):
        ingest.from_html(page)
    assert ingest.from_html(_page()).text.startswith("The city council")


# Titles ----------------------------------------------------------------------------------------------

BODY = "The council met on Tuesday and agreed the plan. Critics called it a disgrace."


@pytest.mark.parametrize("text, expected", [
    # A PTC file: its headline, a blank line, its paragraphs.
    (f"Next plague outbreak in Madagascar could be 'stronger': WHO\n\n{BODY}", "Next plague outbreak in Madagascar could be 'stronger': WHO"),
    (f"Et Tu, Benedict?\n\n{BODY}", "Et Tu, Benedict?"),
    (f"Shock!\n\n{BODY}", "Shock!"),
    (f"Trade war reaches the U.S.\n\n{BODY}", "Trade war reaches the U.S."),  # an abbreviation's full stop ends no sentence
    (f"Council approves plan\n{BODY}", "Council approves plan"),  # followed at once by a paragraph
    (f"Council approves plan\r\n\r\n{BODY}", "Council approves plan"),
    (f"\n\n  Council approves plan  \n\n{BODY}", "Council approves plan"),  # blank lines before it, spaces around it
    # No headline: a sentence, a line broken in two, one line alone, a long line, no letters, a run-on line.
    (f"America's Immigration Voice.\n\n{BODY}", None),
    (f"Dallas Police Dept.\nfires officer who killed Botham Jean\n\n{BODY}", None),
    ("The council met on Tuesday and agreed\nthe plan. Critics called it a disgrace.", None),
    ("Council approves plan\n(Some final thoughts on it)\n\n" + BODY, None),
    (BODY, None),
    ("Council approves plan\n\n", None),
    ("Council approves plan " * 10 + "\n\n" + BODY, None),
    (f"2018-11-02\n\n{BODY}", None),
    (f"Dear colleagues,\n\n{BODY}", None),
])
def test_a_first_line_is_a_headline_when_it_reads_as_one(text, expected):
    assert ingest.headline(text) == expected


def test_an_articles_title_is_its_own_else_its_headline_else_its_files_name(tmp_path):
    from spinlens.types import Article

    text = f"Council approves plan\n\n{BODY}"
    assert ingest.article_title(Article(text, title="Given")) == "Given"
    assert ingest.article_title(Article(text, source="/data/article1.txt")) == "Council approves plan"
    assert ingest.article_title(Article(BODY, source="/data/article1.txt")) == "article1.txt"
    assert ingest.article_title(Article(BODY, source="/data/dump.jsonl:12")) == "dump.jsonl:12"
    assert ingest.article_title(Article(BODY, url="https://example.org/story")) == "https://example.org/story"
    assert ingest.article_title(Article(BODY, source="standard input")) is None
    assert ingest.article_title(Article(BODY)) is None
    # A page without a title of its own: its first words.
    assert ingest.display_title(Article(BODY)) == "The council met on Tuesday and agreed the plan. Critics called it a disgrace."
    assert ingest.display_title(Article(BODY + " " + BODY)) == "The council met on Tuesday and agreed the plan. Critics called it a disgrace…"
    assert ingest.opening("word" * 50, limit=10) == "wordwordwo…"
    # Read from a file, the text keeps its headline and every offset: the title is found, not cut out.
    path = tmp_path / "article1.txt"
    path.write_text(text, encoding="utf-8")
    article = ingest.from_file(path)
    assert article.text == text and article.title is None and ingest.article_title(article) == "Council approves plan"
