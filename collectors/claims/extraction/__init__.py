"""Propose the adoption claims of an article: sentences, bullets and table rows, with their evidence and confidence.

The extractor reads the shapes adoption claims take in articles about software projects: a release year ("PyTorch
was released in September 2016", "TensorFlow (2015): Released by ..."), a level with its magnitude ("about 150
thousand GitHub stars", "3.4M downloads per week"), a share of papers, one project against another ("X passed Y in
downloads in 2025", "three times as many papers as Y"), growth over a period, and table rows whose columns are
projects. A period comes from the sentence ("in 2023", "between mid-2023 and mid-2025", "since its 2019 peak",
"this year"), else from the heading above it, else from the article's date. Figures that are not adoption
(benchmark speeds, memory, survey percentages) are typed `uncheckable` with the reason, a share an outside source
reports (Papers with Code) as that source's claim with our series as a proxy, and a figure about a project we do
not hold as "not tracked" with the command that tracks it. Every candidate is for a person to review.

Modules: `text` (an article as lines and sentences), `numbers` (figures and their magnitudes), `names` (which
projects a text names), `periods` (the period a claim speaks of), `rules` (one function per claim shape),
`extractor` (the reading order: tables, headings, sentences), `article` (title, byline and date).
"""

from collectors.claims.extraction.article import describe_article
from collectors.claims.extraction.candidate import Candidate
from collectors.claims.extraction.extractor import Extractor
from collectors.claims.extraction.names import Named

__all__ = ["Candidate", "Extractor", "Named", "describe_article"]
