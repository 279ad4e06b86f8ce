"""Every form of a word, so that an author writes "rank" once and the rules read "ranked" too.

The forms come from lemminflect, an English lemmatiser and inflector with its own
dictionary of irregular forms (stand: stood; withdraw: withdrew, withdrawn; candidacy:
candidacies). A small rule set would miss exactly the irregular words an advisor writes
without thinking. Only nouns (their plural) and verbs (every tense) are inflected:
adjectives would bring in comparisons ("good" is not "best"), and the small words of the
grammar (pronouns, modals, prepositions) are kept as written, since "will" is not
"would" and "can" is not "could" in a rule's eyes.

It runs when a rule set is built, never while a draft is checked: a word list becomes
a regular expression of all the forms, which the sentence reader then searches.
"""

from __future__ import annotations

from functools import lru_cache

# Words of the grammar, kept as written. lemminflect knows some of them as nouns or
# verbs ("will", "can", "may", "where"), and their "forms" would change what a rule says.
_KEPT = frozenset("""
a an the this that these those my your his her its our their me you him us them i we he she it they
mine yours ours theirs myself yourself ourselves themselves who whom whose which what where when why how
whether if unless than then so as of on in at to for from by with without about into onto over under
up down out off near among between through during before after until since per via
and or but nor not no never yes
be am is are was were been being do does did done have has had having
will would shall should can could may might must ought
there here all any some each every either neither both few many much more most other another such own
""".split())
# Parts of speech whose forms are taken: plural nouns, every form of a verb.
_TAGS = {"NOUN": ("NN", "NNS"), "VERB": ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ")}


@lru_cache(maxsize=16384)
def forms(word: str) -> tuple[str, ...]:
    """The word and every form of it, lower case, the word itself first.

    A written form is first taken back to its lemmas ("ranked" to "rank"), so any form an
    author writes brings all the others.
    """
    written = word.lower()
    if written in _KEPT or not written.replace("-", "").replace("'", "").isalpha():
        return (written,)
    import lemminflect  # its dictionaries take a fraction of a second to load: only when a rule needs them

    found = {written}
    for pos, tags in _TAGS.items():
        for lemma in lemminflect.getLemma(written, upos=pos, lemmatize_oov=False) or ():
            lemma = lemma.lower()
            if lemma in _KEPT:
                continue
            found.add(lemma)
            inflected = lemminflect.getAllInflections(lemma, upos=pos)
            found.update(form.lower() for tag in tags for form in inflected.get(tag, ()))
    found.discard(written)
    return (written, *sorted(found))
