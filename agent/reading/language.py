"""Which language a message is written in, from its function words (the, und, que, le...): exact and
cheap, and the model's guess only when no function word decides it."""

from __future__ import annotations

import re
import unicodedata

# The commonest function words of each language (articles, pronouns, auxiliaries, prepositions).
FUNCTION_WORDS = {
    "en": "the is are was were does do did has have what which who how why when where of and to in with "
          "she he her his you your it its any there this that can",
    "es": "el la los las del que y es son con por para una un su sus tiene ha qué cuál cuáles cuántos cuántas "
          "cómo dónde cuándo ella él sobre algún alguna hay desde hasta también fue fueron qué",
    "de": "der die das und ist sind mit von zu den dem ein eine hat nicht auf für sie er welche welcher welches "
          "wie wann wo wer gibt es ihr ihre seine hast",
    "fr": "le la les des du et est sont avec pour une un sur qui il elle quel quelle quels quelles combien "
          "comment quand où a-t-elle ses son sa dans",
    "pt": "o os as do da dos das que e é são com para uma um tem não ela ele qual quais quantos quantas "
          "como quando onde em seu sua seus pela pelo pelas pelos foram foi você dela dele nas nos às mais já também",
    "it": "il lo gli le di del della che e è sono con per una un ha non lei lui quale quali quanti quante "
          "come quando dove suo sua suoi nel della degli dalla ci sono stata stato anche più",
}
_WORDS = {lang: set(words.split()) for lang, words in FUNCTION_WORDS.items()}
_TOKEN = re.compile(r"[\w'-]+", re.UNICODE)


def detect(text: str) -> str | None:
    """The language most of the message's function words belong to; None when nothing decides."""
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    scores = {lang: sum(t in words for t in tokens) for lang, words in _WORDS.items()}
    best = max(scores, key=scores.get)
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] == 0 or ranked[0] == ranked[1]:
        return None
    if any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", text)) and best == "en":
        return None  # accents in an "English" message: let the model say
    return best


# Month names (accents dropped, lower case), for checking dates a model writes in any of these languages.
MONTH_NAMES = {
    "en": "january february march april - june july august september october november december",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "de": "januar februar marz april mai juni juli august september oktober november dezember",
    "fr": "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "pt": "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}
MONTH_NUMBER = {name: i + 1 for names in MONTH_NAMES.values() for i, name in enumerate(names.split()) if name != "-"}
MONTH_NUMBER["may"] = 5  # English "May" is only read when a year follows it (see month_years)
