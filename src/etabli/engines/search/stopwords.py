"""French stop words, written in their accent-folded form.

Why a list of our own: a search box of a TPE gets short questions ("livrez-vous le samedi ?"); removing
articles, pronouns and auxiliaries keeps BM25 focused on the content words. Interrogatives that carry
the intent of a FAQ question ("quand", "combien", "comment", "pourquoi") are deliberately kept, and so
are the negations of the escalation engine's concern (that engine does not use this list).
"""

from __future__ import annotations

_WORDS = """
    a ai aie aient aies ait as au aux avais avait avaient avez aviez avions avons ayant ayez ayons
    c ca ce ceci cela celle celles celui ces cet cette ceux ci
    d de des du dans donc
    elle elles en es est et etaient etais etait etant ete etes etiez etions etre eu eue eues eus eut eux
    furent fut
    il ils
    j je
    l la le les leur leurs lui
    m ma mais me meme memes mes moi mon
    n ne ni nos notre nous
    on ont ou
    par pas pour puis
    qu que quel quelle quelles quels qui
    s sa sans se sera serai seraient serait seras serez seriez serions serons seront ses si soi soient
    sois soit sommes son sont soyez soyons suis sur
    t ta te tes toi ton tu
    un une unes uns
    vos votre vous
    y
    svp stp bonjour bonsoir merci madame monsieur
"""
FRENCH_STOP_WORDS: frozenset[str] = frozenset(_WORDS.split())
