"""Stage 5, cite: Vancouver numbering and the reference list, from the supplied entries only."""

from publisher.cite.numbering import number_citations
from publisher.cite.references import SuppliedEntry, parse_supplied

__all__ = ["SuppliedEntry", "number_citations", "parse_supplied"]
