"""What the features that tell chatter say of a sentence, in an author's words: the reasons a
report line gives for removing (or doubting) a sentence, as catalogue ids."""

from __future__ import annotations

from publisher.i18n import N_

# what each feature that tells chatter says of a sentence, in an author's words (for the report)
FEATURE_WORDS: dict[str, str] = {
    "second-person": N_("speaks to the reader as “you”"),
    "writer-i": N_("the writer speaks as “I”"),
    "offers-more": N_("offers more help"),
    "asks-requester": N_("asks the requester something"),
    "wishes-well": N_("wishes the reader well"),
    "announces-text": N_("announces the text that follows"),
    "reports-writing": N_("reports on its own writing"),
    "measures-text": N_("counts the length of the text"),
    "cites-task-inputs": N_("refers to the task it was given"),
    "speaks-of-answer": N_("speaks of its answer"),
    "continuation": N_("says it will go on"),
    "resumes-output": N_("resumes an interrupted output"),
    "locates-text": N_("says where the text is"),
    "writer-edits": N_("describes its own edits"),
    "awaits-input": N_("waits for more input"),
    "continues-from": N_("continues an earlier reply"),
    "placeholder": N_("a placeholder"),
    "apologises": N_("apologises"),
    "declines": N_("declines the task"),
    "redirects": N_("sends the requester elsewhere"),
    "interjection": N_("an interjection"),
    "only-interjection": N_("nothing but an interjection"),
    "note-label": N_("a note to the requester"),
    "after-chatter": N_("follows other remarks of the assistant"),
    "alone-on-line": N_("stands alone on its line"),
    "generation-edge": N_("stands at the start or end of a reply"),
    "bracketed": N_("stands in brackets"),
    "plans-writing": N_("plans how it will write the text"),
    "defers-to-next-turn": N_("puts the writing off to its next reply"),
    "marks-progress": N_("marks how far its output has got"),
    "names-next-part": N_("names the part it will write next"),
    "resumes-talk": N_("talks about a cut in its output"),
    "own-basis": N_("gives its own basis for a claim"),
    "asks-to-check": N_("asks the requester to check or complete the text"),
    "locates-part": N_("says which part of its output this is"),
    "reports-checking": N_("reports that it checked its own text"),
    "requester-use": N_("speaks of what the requester will do with the text"),
    "offers-on-request": N_("offers more if the requester asks"),
    "asks-for-input": N_("asks the requester for material to go on"),
}


def feature_terms(features: list[str]) -> list[str]:
    """The catalogue ids of what the features that tell chatter say (content features, which
    speak against it, are left out)."""
    return [FEATURE_WORDS.get(f, f) for f in features if not f.startswith("-")]
