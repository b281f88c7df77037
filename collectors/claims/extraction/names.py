"""Which projects a text names: the curated ones by their ids, names and packages; any catalogue project by its
names, word by word; and a capitalised name we do not hold, so that its figure can be proposed for tracking."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from collectors.claims.extraction.numbers import Number
from collectors.config import Project


@dataclass(frozen=True)
class Named:
    """A catalogue project as the extractor reads it: its id, display name, repository and packages, and whether
    it is prominent enough (stars, downloads) that its plain lower-case name in prose means the project."""

    id: str
    name: str
    github: str
    pypi: tuple[str, ...]
    prominent: bool = False


@dataclass(frozen=True)
class Mention:
    at: int
    end: int
    project: str


# Package names that are ordinary English words: in prose they name a project only when written with a capital
# ("Requests has 52k stars", "Flask") or as code (`requests`), never as the word ("requests per second").
_COMMON_WORDS_TEXT = (
    "about access action active agent alembic alive api app apps arrow attrs audio auth awesome base basic behave "
    "black blessed bleach blinker bottle box build cache cached celery charset check click cloud config core dash "
    "data date delta deprecated design dev diff docs dot dynamic easy engine enum environ examples fabric faker "
    "fast fire flake flask flit formats future fuzzy graphene guide html image invoke keyring lark libraries "
    "lightning list lock markdown marshmallow mock models monitor more nose notebook packaging parse paste path "
    "pendulum pillow pip ply poetry portal pretty prompt python queue ray records redis regex requests retry rich "
    "rope routes schedule schema sh shell simple six slim smart solid sphinx spring start tabulate test textual "
    "toml tornado trio typer vine waitress watchdog wheel wrapt zope"
)
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
# Capitalised words that begin a sentence or name a site, a company or a time, not a project we could track.
_NOT_PROJECT_NAMES_TEXT = (
    "a an the it its it's this that these those there their they we our you he she his her each every both either "
    "neither today now meanwhile however also yet still only even overall since by in on at for from with after "
    "before during as while when according python google anaconda "
    "microsoft meta facebook amazon apple netflix openai nvidia intel ibm papers code hacker news reddit twitter "
    "january february march april may june july august september october november december q1 q2 q3 q4 one two "
    "three four five six seven eight nine ten most many some several all other others compared downloads stars "
    "forks questions papers interest usage adoption growth monthly weekly daily total community repository repo "
    "project framework library package version release searches mentions citations traffic combined together "
    "altogether"
)
# Sites, companies and languages articles cite beside the sources ecotrends reads (whose names and titles each
# source declares): a package of that name ("arxiv", "github") is not what "arXiv papers" or "released by Google"
# means.
_OTHER_SITE_NAMES = frozenset({"anaconda", "google", "papers with code", "hacker news", "reddit", "twitter", "meta",
                               "facebook", "microsoft", "python", "rust", "javascript", "java", "go", "julia"})


@cache
def site_names() -> frozenset[str]:
    """The sources' names and titles ("stackoverflow", "stack overflow", "google trends") and the other sites."""
    from collectors import sources

    declared = {name for source in sources.registry().values() for name in (source.name, source.title.lower())}
    return frozenset(declared) | _OTHER_SITE_NAMES


@cache
def not_project_names() -> frozenset[str]:
    """Capitalised words that begin a sentence or name a site, a company or a time: never a project to track."""
    return frozenset(_NOT_PROJECT_NAMES_TEXT.split()) | {word for name in site_names() for word in name.split()}
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+/-]*[A-Za-z0-9+]|[A-Za-z0-9]")
_CATALOGUE_NGRAM = 3  # names of up to three words ("Hugging Face Transformers")
# "Litestar has about 5,000 stars", "Robyn's downloads reached 2 million", "Sanic, with 18,000 stars"
_SUBJECT_OF_FIGURE = re.compile(
    r"(?<![\w.])(?P<name>[A-Z][A-Za-z0-9+.-]*[A-Za-z0-9+](?: [A-Z][A-Za-z0-9+-]*){0,2})(?:'s)?,? "
    r"(?:now |still |already |only |also )?(?:has|had|have|reached|hit|passed|crossed|gets|got|counts|earned|"
    r"gained|collected|boasts|sits at|stands at|stood at|is at|was at|with|was downloaded|is downloaded|"
    r"downloads|stars)\b"
)


def catalogue_aliases(project: Named) -> set[str]:
    """The names an article may use for a catalogue project: its display name, id, PyPI names and owner/repo, and
    its repository's own name where that is distinctive (a package, or a hyphen, capital or digit in it)."""
    aliases = {project.id.lower(), *project.pypi}
    if project.github:
        aliases.add(project.github.lower())
    # a repository no package ties to is "github" or "benchmark" as often as not: its plain name only when distinctive
    for name in (project.name, project.github.split("/")[1] if project.github else ""):
        if name and (project.pypi or re.search(r"[-A-Z0-9]", name)):
            aliases.add(name.lower())
    return {alias for alias in aliases if len(alias) >= 3}


class ProjectNames:
    """The projects a text names. The curated projects by their ids, names, packages and last name word; any
    catalogue project word by word (a regular expression of 100,000 names would take seconds per article)."""

    def __init__(self, projects: Iterable[Project], catalogue: Iterable[Named] = ()) -> None:
        self.aliases: dict[str, str] = {}
        for project in projects:
            for alias in (project.id, project.name, *project.pypi, project.name.split()[-1]):
                self.aliases.setdefault(alias.lower().replace("-", " "), project.id)
                self.aliases.setdefault(alias.lower(), project.id)
        names = sorted(self.aliases, key=len, reverse=True)
        self._curated = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])", re.I)
        self.catalogue: dict[str, str] = {}  # alias -> project id, the most prominent project first
        self._prominent: set[str] = set()
        self._display: dict[str, str] = {}
        sites = site_names()
        for named in catalogue:
            self._display[named.id] = named.name
            if named.prominent:
                self._prominent.add(named.id)
            for alias in catalogue_aliases(named):
                if alias not in self.aliases and alias not in sites:
                    self.catalogue.setdefault(alias, named.id)

    def mentions(self, text: str) -> list[Mention]:
        """Each project named, in order; the longest name wins ("PyTorch Lightning" over "PyTorch")."""
        found = [Mention(m.start(), m.end(), self.aliases[m.group(1).lower()]) for m in self._curated.finditer(text)]
        found += [
            mention
            for mention in self._catalogue_mentions(text)
            if not any(mention.at < other.end and other.at < mention.end for other in found)
        ]
        return sorted(found, key=lambda mention: mention.at)

    def without_names(self, text: str) -> str:
        """The text with every project name taken out: what is left of a table header besides its names."""
        for mention in reversed(self.mentions(text)):
            text = text[: mention.at] + text[mention.end :]
        return text

    def is_version(self, text: str, number: Number, mentions: list[Mention]) -> bool:
        """A small number right after a project's name is its version ("TensorFlow 2.0", "PyTorch v1.13", "Python
        3"); "PyTorch 65K" or "pandas 45,000" is a figure."""
        if number.magnitude or number.percent or number.value >= 1000:
            return False
        start = number.start
        head = text[max(0, start - 10) : start].lower()
        if re.search(r"(\bpython|\bversion|\bv) ?v?$", head):
            return True
        return any(re.fullmatch(r" v?", text[mention.end : start]) for mention in mentions if mention.end <= start)

    def untracked(self, text: str, mentions: list[Mention]) -> str | None:
        """The capitalised name a figure is said of when it is no project we hold ("Litestar has 5,000 stars")."""
        for match in _SUBJECT_OF_FIGURE.finditer(text):
            name = match.group("name")
            words = [word.lower().removesuffix("'s") for word in name.split()]
            if words[0] in not_project_names() or any(m.at < match.end("name") and match.start() < m.end
                                                    for m in mentions):  # fmt: skip
                continue
            return name
        return None

    def _catalogue_mentions(self, text: str) -> list[Mention]:
        """Catalogue projects named in the text: the longest run of up to three words that is a project's name."""
        if not self.catalogue:
            return []
        tokens = [(m.start(), m.end(), m.group().rstrip(".").lower()) for m in _TOKEN.finditer(text)]
        found, index = [], 0
        while index < len(tokens):
            for size in range(min(_CATALOGUE_NGRAM, len(tokens) - index), 0, -1):
                words = tokens[index : index + size]
                key = " ".join(word for _, _, word in words)
                project = self.catalogue.get(key)
                if project and self._means_project(text, words[0][0], words[-1][1], key, project):
                    found.append(Mention(words[0][0], words[-1][1], project))
                    index += size
                    break
            else:
                index += 1
        return found

    def _means_project(self, text: str, at: int, end: int, key: str, project: str) -> bool:
        """A plain word names a project only when written as the project writes it (DuckDB, pandas or Pandas, not
        "GitHub" for a package "github") and, for an ordinary, short or little-known name, capitalised or as code:
        prose is full of words that are also package names."""
        written, as_code = text[at:end], at > 0 and text[at - 1] in "`'\""
        display = self._display.get(project, key)
        any_casing = display.islower() and project in self._prominent  # "duckdb" is written DuckDB
        casings = {key, key.capitalize()} if display.islower() else {display}
        if key.isalpha() and not as_code and not any_casing and written not in casings:
            return False
        if key in COMMON_WORDS or (" " not in key and "/" not in key and "-" not in key and (
            len(key) <= 3 or (project not in self._prominent and key.isalpha())
        )):
            return written[0].isupper() or as_code
        return True
