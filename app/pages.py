"""The app's pages, defined once: the router builds its navigation from them, tests and benchmarks open them."""

from __future__ import annotations

from dataclasses import dataclass

from collectors import sources


@dataclass(frozen=True)
class Page:
    file: str  # under app/sections/
    title: str
    icon: str
    url_path: str  # "" for the default page, served at /
    group: str

    @property
    def name(self) -> str:
        return self.file.removesuffix(".py")


PAGES = (
    Page("overview.py", "Overview", "🏠", "", "Adoption"),
    Page("compare.py", "Compare", "📊", "compare", "Adoption"),
    Page("claims.py", "Claims", "🔎", "claims", "Adoption"),
    Page("check.py", "Check an article", "📝", "check", "Adoption"),
    # a source with a page of its own declares it (collectors/sources/)
    *(
        Page(source.page, source.title, source.icon, source.page.removesuffix(".py"), "Sources")
        for source in sources.registry().values()
        if source.page
    ),
    Page("data.py", "Data", "🗄️", "data", "Sources"),
)
