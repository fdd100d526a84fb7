"""Named false-positive filters: each says whether a hit (text[start:end]) is still worth reporting.

A filter sees the whole segment text and the span, so it can look at the words around the hit.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Callable

import regex

from ..positions import Paragraphs
from ..tables import shipped_table

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY_PRECISE = re.compile(
    r"\b(?!(?:19|20)\d\d[/.–-]\d\d\b(?![/.-]))\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b"  # 3/14, 2024-03-14, 14.03.24 (not 2024-25)
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"          # March 14th
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"  # 14 March, 14th of March
    rf"|\b\d{{1,2}}-?{_MONTH}-?\d{{2,4}}\b",               # 14-Mar-24, 14MAR2024 (records)
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?\d{{4}}\b", re.IGNORECASE)

# Words that make a preceding name an eponym: "Crohn's disease", "Chaddock reflex", "Framingham risk score".
_EPONYM_NOUNS = (
    r"disease|syndrome|lymphoma|sarcoma|carcinoma|tumou?r|reflex|sign|signs|score|scale|criteria|rule|"
    r"risk|esophagus|oesophagus|palsy|phenomenon|test|maneuver|manoeuvre|classification|staging|"
    r"triad|ulcer|an(?:a)?emia|thyroiditis|encephalopathy|disorder|dementia|chorea|ataxia|dystrophy|"
    r"fracture|cyst|hernia|diverticulum|contracture|neuroma|neuralgia|aneurysm|malformation|"
    r"lymphadenopathy|nodes?|murmur|procedure|operation|heart\s+study|fever|virus|infection|law|laws|act|"
    r"regulations?|rule|bill|amendment|foundation|award|lecture|prize"
)
_EPONYM_AFTER = re.compile(rf"^(?:['’]s?)?(?:[\s-]+[A-Za-z]+){{0,2}}?[\s-]+(?:{_EPONYM_NOUNS})\b", re.IGNORECASE)
_EPONYM_BEFORE = re.compile(r"\bnon-?\s*$", re.IGNORECASE)
_DRUG_SUFFIXES = re.compile(
    r"(?:pril|sartan|olol|dipine|farin|xaban|gatran|gliflozin|gliptin|glutide|statin|mab|nib|tinib|ciclib|"
    r"parin|azole|prazole|cycline|mycin|micin|cillin|floxacin|cef\w+|vir|navir|tegravir|lukast|dronate|"
    r"sone|solone|olone|triptan|setron|tidine|pramine|triptyline|oxetine|aline|azepam|zolam|done|codone|"
    r"morphone|profen|coxib|fenac|formin|glinide|gliptin|semide|thiazide|tiazem|amil|afil|zosin|terol|"
    r"tropium|caine|barbital|trexate|platin|rubicin|taxel|umab|ximab|zumab|cept|ase|plase|teplase)$",
    re.IGNORECASE,
)
_SHORTHAND = frozenset(s.casefold() for s in (
    "pt pts tx hx dx rx sx fx f/u s/p w/ w/o mgmt mgmnt rec recs appt mammo abx meds labs vitals "
    "tx'd dx'd rx'd ref'd pt's pts' ED ER ICU CCU NICU PICU OR PACU"
).split())


def specific_date(text: str, start: int, end: int) -> bool:
    """A date with a day (a date element more specific than the year)."""
    return bool(_DAY_PRECISE.search(text[start:end]))


def month_and_year(text: str, start: int, end: int) -> bool:
    """Month and year without a day ("March 2024")."""
    span = text[start:end]
    return bool(_MONTH_YEAR.search(span)) and not _DAY_PRECISE.search(span)


@functools.lru_cache(maxsize=1)
def larger_than_state() -> frozenset[str]:
    """The shipped table of countries, state-level units abroad and regions (case-folded)."""
    table = shipped_table("larger-than-state.yaml")
    keys = ("countries", "us_states", "state_level", "regions")
    return frozenset(name.casefold() for key in keys for name in table[key])


def smaller_than_state(text: str, start: int, end: int) -> bool:
    """Geographic units of a state or larger are allowed by Safe Harbor."""
    larger = larger_than_state()
    name = text[start:end].strip().rstrip(".,").casefold()
    name = name[4:] if name.startswith("the ") and name not in larger else name
    return name not in larger and f"{name}." not in larger  # "U.S."


def has_letters(text: str, start: int, end: int) -> bool:
    return any(ch.isalpha() for ch in text[start:end])


@functools.lru_cache(maxsize=1)
def _possessive_eponyms() -> frozenset[str]:
    return frozenset(w.casefold() for w in shipped_table("eponyms.yaml")["eponyms"].split())


@functools.lru_cache(maxsize=1)
def _drug_brands() -> frozenset[str]:
    return frozenset(w.casefold() for w in shipped_table("drug-brands.yaml")["brands"].split())


def not_eponym(text: str, start: int, end: int) -> bool:
    """Names in disease, sign and score eponyms (Crohn's disease, Chaddock reflex) are not people."""
    if _EPONYM_AFTER.match(text[end:end + 40]) or _EPONYM_BEFORE.search(text[max(0, start - 5):start]):
        return False
    span = text[start:end]
    possessive = text[end:end + 1] in ("'", "’") or span.endswith(("'s", "’s", "'", "’"))
    words = re.findall(r"[A-Za-zÀ-ÿ]+", re.sub(r"['’]s?$", "", span))
    return not (possessive and words and words[-1].casefold() in _possessive_eponyms())


def not_drug_name(text: str, start: int, end: int) -> bool:
    """Single-word drug names (generic suffixes, common brands) are not people or places."""
    words = text[start:end].split()
    if len(words) != 1:
        return True
    word = words[0].strip(".,;:'’").casefold()
    return not (word in _drug_brands() or (len(word) > 5 and _DRUG_SUFFIXES.search(word)))


_CREDENTIAL = re.compile(r"(?:M\.?D|D\.?O|R\.?N|Ph\.?D|N\.?P|P\.?A|D\.?D\.?S|M\.?P\.?H|B\.?S\.?N|M\.?S\.?N)\.?")


def _capitalised(text: str, start: int, end: int, longest_code: int) -> bool:
    """Capitalised, not clinical shorthand, not a credential ("M.D."), and not a single all-caps code of
    `longest_code` letters or fewer."""
    span = text[start:end].strip()
    if _CREDENTIAL.fullmatch(span):
        return False
    words = span.split()
    if not any(w[:1].isupper() for w in words):
        return False
    if all(w.strip(".,;:").casefold() in _SHORTHAND for w in words):
        return False
    return not (len(words) == 1 and span.isupper() and len(span) <= longest_code)


_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+$")


def proper_noun(text: str, start: int, end: int) -> bool:
    """Looks like a proper name: capitalised, not clinical shorthand, not a bare acronym (an initial after
    an honorific is a name: "Mrs. B")."""
    return _capitalised(text, start, end, longest_code=4) or bool(
        _HONORIFIC_BEFORE.search(text[max(0, start - 6):start]) and text[start:start + 1].isupper())


def place_name(text: str, start: int, end: int) -> bool:
    """Looks like a place: capitalised, not clinical shorthand, not a two-letter code (those are states)."""
    return _capitalised(text, start, end, longest_code=2)


_ORG_WORDS = re.compile(
    r"\b(?:inc|llc|ltd|corp|corporation|company|co|group|bank|university|college|school|institute|"
    r"association|society|foundation|orchestra|band|club|team|church|hospital|clinic|center|centre|health|"
    r"medical|care|services?|solutions|technologies|systems|partners|associates|labs?|studio|records|media|"
    r"news|press|times|journal|study|trial|council|department|agency|office|ministry|family|store|shop|"
    r"restaurant|cafe|hotel|airlines?|motors|pharma|pharmaceuticals?|insurance|capital|holdings|"
    r"international|global|national|american|united|street|avenue|road|library|museum|park|auditorium|hall|"
    r"theat(?:er|re)|stadium|arena|mall|pavilion|building|bldg|campus|station|room|unit|program(?:me)?|house|"
    r"home|wing|ward|chapels?)\b", re.IGNORECASE)
# The last word of a place or a service, never of a person's name ("Cath Lab", "Ronald McDonald House").
_ORG_TAIL = frozenset("unit lab labs program programme house bldg building wing ward chapel chapels centre center "
                      "hospital clinic foundation institute library museum university college school".split())
_NAME_TOKEN = regex.compile(r"^(?:\p{Lu}[\p{Ll}'’-]+(?:-\p{Lu}[\p{Ll}'’]+)?|\p{Lu}\.?)$")


def person_shaped(text: str, start: int, end: int) -> bool:
    """Two to four name-like words ("Faina D. Yefremova") with no organisation word: the NER model often
    tags unfamiliar personal names as organisations."""
    span = re.sub(r"['’]s$", "", text[start:end].strip())
    words = span.split()
    return (2 <= len(words) <= 4 and all(_NAME_TOKEN.match(w) for w in words)
            and sum(len(w.rstrip(".")) > 1 for w in words) >= 2 and not _ORG_WORDS.search(span)
            and not _named_after_place(words[0]))


def not_organisation_tail(text: str, start: int, end: int) -> bool:
    """Not two or more words ending in a word for a place or a service ("Frailty Unit", "Admin Bldg")."""
    words = re.sub(r"['’]s$", "", text[start:end].strip()).split()
    return not (len(words) >= 2 and words[-1].casefold().rstrip(".") in _ORG_TAIL)


def _named_after_place(word: str) -> bool:
    """A state or country that is not also a first name ("Texas Tech", unlike "Georgia Mills")."""
    folded = word.casefold()
    return folded in larger_than_state() and folded not in first_names()


def not_person_shaped(text: str, start: int, end: int) -> bool:
    return not person_shaped(text, start, end)


def _tag_body(text: str, start: int) -> str | None:
    """The body of the #hashtag holding text[start] ("NursesWeek"), if it is in one."""
    i = start
    if text[start:start + 1] != "#":
        while i > 0 and not text[i - 1].isspace():
            i -= 1
        if text[i:i + 1] != "#" or start - i >= 100:
            return None
    end = i + 1
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return text[i + 1:end]


def not_in_tag(text: str, start: int, end: int) -> bool:
    """Not inside a compound #hashtag: #MedTwitter, #NursesWeek, #CardiacICU are post structure, not names
    (tags that name someone are the hashtag-name rule's). A one-word tag (#Glasgow) is read like the word;
    @mentions stay too: a handle can be a person's name."""
    tag = _tag_body(text, start)
    return tag is None or len(_CAMEL_WORD.findall(tag)) < 2


@functools.lru_cache(maxsize=1)
def _public_figures() -> frozenset[str]:
    return frozenset(_folded(n) for n in shipped_table("public-figures.yaml")["names"])


_IN_CARE = regex.compile(
    r"\b(?:came|come|coming|brought|rushed|admitted|transferred)\s+(?:in|into|to)\s+(?:our|the|my)\b"
    r"|\b(?:we|I)\s+(?:cared|care|treated|saw|met)\b|\b(?:our|my)\s+(?:patient|unit|ward|floor|ED|ER|ICU|clinic)\b"
    r"|\b(?:admitted|discharged|bedside|(?:room|bed|bay)\s+\d)", regex.IGNORECASE)


_HEALTH_NEWS = regex.compile(
    r"\b(?:diagnos\w*|disease|cancer|syndrome|dementia|stroke|cardiac|heart|surgery|transplant|kidney|illness|"
    r"died|death|passed\s+away|hospice|recover\w*|treatment|disorder|sclerosis|ALS|HIV|AIDS|mental\s+health|"
    r"depression|addiction|sober|rehab|injur\w*|medical|health|hospital\w*|awareness|advisory|vaccin\w*|"
    r"research|foundation|condition|symptoms?|survivor|documentary|disclos\w+|public\s+health|patients?|"
    r"screening|genetic|tested|clinic|doctors?|nurses?|\w+(?:ectomy|otomy|itis|oma|osis|emia)|(?-i:MS|FTD|CPR|BRCA\d?))\b",
    regex.IGNORECASE)


def not_public_figure(text: str, start: int, end: int) -> bool:
    """Not a public figure in the health news ("Bruce Willis's diagnosis", or "Bruce" or "Willis" of it),
    unless the post puts them in someone's care. Outside health news a public figure is a name like any."""
    if _PUBLIC_ROLE.search(text, max(0, start - 40), start):
        return _public_ok(text, start)
    lo = max(0, start - 40)
    window = _folded(text[lo:end + 40])  # folding keeps the length of these (precomposed) letters
    words = [_folded(w) for w in _NAME_WORD.findall(text[start:end])]
    for name in {n for w in words for n in _public_figures_by_word().get(w, ())}:
        for m in regex.finditer(rf"(?<!\w){regex.escape(name)}(?!\w)", window):
            rest = text[m.end() + lo:end]
            if m.start() + lo <= start and (end <= m.end() + lo + 2 or _NAMED_AFTER.fullmatch(rest)):
                return _public_ok(text, start)
    return True


def _public_ok(text: str, start: int) -> bool:
    """A public figure's name is a name like any outside health news, or where the post puts them in care."""
    lo, hi = Paragraphs(text).around(start)
    return bool(_IN_CARE.search(text, lo, hi)) or not _HEALTH_NEWS.search(text, lo, hi)


# A name after its public role: "actress Jane Roe", "Former President John Roe".
_PUBLIC_ROLE = regex.compile(
    r"\b(?:(?i:actress|actor|singer|rapper|musician|comedian|(?:TV|talk-show|radio)\s+host|broadcaster|"
    r"Olympian|quarterback|footballer|cricketer|golfer|(?:NFL|NBA|NHL|MLB|WNBA)\s+(?:star|player)|novelist|"
    r"celebrit(?:y|ies)|influencer|YouTuber)|(?:[Ff]ormer\s+)?(?:President|Vice\s+President|First\s+Lady|"
    r"Prime\s+Minister|Senator|Governor|Congress(?:man|woman)|Prince|Princess|King|Queen))[^\S\n]+"
    r"(?:\p{Lu}[\p{L}'’.-]*[^\S\n]+){0,2}$")


_NAMED_AFTER = regex.compile(r"(?:['’]s)?\s+(?:Foundation|Fund|Institute|Center|Centre|Award|Show|Act|Law)")


@functools.lru_cache(maxsize=1)
def _public_figures_by_word() -> dict[str, frozenset[str]]:
    by_word: dict[str, set[str]] = {}
    for name in _public_figures():
        for word in _NAME_WORD.findall(name):
            by_word.setdefault(word, set()).add(name)
    return {w: frozenset(names) for w, names in by_word.items()}


@functools.lru_cache(maxsize=1)
def _public_site_suffixes() -> tuple[str, ...]:
    return tuple(shipped_table("public-sites.yaml")["suffixes"])


_URL_HOST = regex.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/\s]*@)?([^/:?#\s]+)", regex.IGNORECASE)


def not_file_name(text: str, start: int, end: int) -> bool:
    """Not a file name ("notes.md", "discharge.jpg"): a bare name with a document or image extension, with
    no scheme, "www." or path, is a file, even where the extension is also a country's domain."""
    rest = _WORD_TAIL.match(text, end)
    token = text[start:rest.end() if rest else end]
    return not _FILE_NAME.fullmatch(token)


_TOKEN_EDGE = regex.compile(r"[\s\"'<>()\[\]{}|,;]")


def not_in_file_name(text: str, start: int, end: int) -> bool:
    """Not a piece of a file's name ("PLAIN-06122019-Transcript.pdf", "mobile-21-350x214.jpg"): a code in a
    document's or an image's name is the file's, and the link or file name is judged as a whole."""
    left = max((m.end() for m in _TOKEN_EDGE.finditer(text, max(0, start - 200), start)), default=max(0, start - 200))
    right = _TOKEN_EDGE.search(text, end)
    token = text[left:right.start() if right else len(text)].rstrip(".")
    return not _FILE_NAME.fullmatch(token.rsplit("/", 1)[-1])


_WORD_TAIL = regex.compile(r"\w+")
_FILE_NAME = regex.compile(
    r"(?!www\.)[\w-]+(?:\.[\w-]+)*\.(?i:md|markdown|txt|rst|adoc|pdf|docx?|odt|rtf|xlsx?|csv|pptx?|json|ya?ml|toml|"
    r"html?|xml|jpe?g|png|gif|webp|heic|tiff?|bmp|svg|mp4|mov|avi|mp3|wav|srt|vtt|zip)")


def not_public_site(text: str, start: int, end: int) -> bool:
    """Not a link to a site of public information only (a .gov or .edu page, a DOI): it cannot be a
    patient's page (rules/tables/public-sites.yaml)."""
    host = _URL_HOST.match(text[start:end].strip())
    name = host.group(1).lower().rstrip(".") if host else ""
    return not any(name == s or name.endswith("." + s) for s in _public_site_suffixes())


def not_email_domain(text: str, start: int, end: int) -> bool:
    """Not the domain of an email address ("careers@example.org"): the address is judged whole."""
    return not (start > 0 and text[start - 1] == "@")


_CITATION_BEFORE = re.compile(r"(?:\bCFR|\bC\.F\.R\.|\bU\.S\.C\.|§|\bsection|\bsec\.|\bpart)\s*$", re.IGNORECASE)


def not_in_link_or_citation(text: str, start: int, end: int) -> bool:
    """Not digits inside a link or DOI ("jama.2018.16865") nor a legal citation ("45 CFR 164.514")."""
    if start > 0 and text[start - 1] in "./=_-" and not text[start - 2:start - 1].isspace():
        return False
    token_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    if "://" in text[token_start:end] or "doi" in text[token_start:end].lower():
        return False
    return not _CITATION_BEFORE.search(text[max(0, start - 12):start])


_TOLL_FREE = re.compile(r"^\+?1?[\s.-]?\(?8(?:00|33|44|55|66|77|88)\)?[\s.-]?\d{3}[\s.-]?\d{4}$")
# Freephone and shared-cost ranges by their digits: UK 0800/0808, NZ 0800/0508, AU 1800/1300, IE 1800.
_FREEPHONE_NATIONAL = re.compile(r"^(?:080[08]\d{6,7}|0508\d{6}|1[38]00\d{6})$")
_FREEPHONE_INTERNATIONAL = re.compile(r"^(?:4480[08]\d{6,7}|64(?:800|508)\d{6}|611[38]00\d{6}|3531800\d{6})$")


def not_toll_free(text: str, start: int, end: int) -> bool:
    """Not a toll-free or freephone number (US 800, 888...; UK 0800; AU 1800...): those are organisations'
    lines, never a patient's."""
    number = text[start:end].strip()
    digits = re.sub(r"\D", "", number)
    freephone = _FREEPHONE_INTERNATIONAL if number.startswith("+") else _FREEPHONE_NATIONAL
    return not (_TOLL_FREE.match(number) or freephone.match(digits))


@functools.lru_cache(maxsize=1)
def _role_mailboxes() -> frozenset[str]:
    return frozenset(shipped_table("role-mailboxes.yaml")["local_parts"])


def not_role_mailbox(text: str, start: int, end: int) -> bool:
    """Not a role's mailbox ("careers@", "privacy@", "info@"): an organisation's address, never a patient's."""
    local, at, _ = text[start:end].partition("@")
    return not (at and local.casefold() in _role_mailboxes())


def one_paragraph(text: str, start: int, end: int) -> bool:
    """Within one paragraph: a span across a blank line is the model running headings into text."""
    return "\n\n" not in text[start:end].replace("\r", "")


def not_hashtag(text: str, start: int, end: int) -> bool:
    """Not in a #hashtag at all, unless the tag is only a listed first name ("#Harper"): for names, one-word
    tags (#Neurology, #Dietitian) are topics too."""
    tag = _tag_body(text, start)
    if tag is None:
        return True
    word = _folded(tag)
    return word in first_names() and word not in word_like_names()


_EMOJI_BEFORE = regex.compile(r"[\p{So}\p{Sk}]")
_CAMEL_WORD = regex.compile(r"\p{Lu}\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{Ll}+|\d+")
_POSSESSIVE_TAG = regex.compile(r"#\p{Lu}\p{Ll}+['’]?s(?:Army|Battle|Fight|Journey|Warriors?|Squad|Crew|Miracle|Tribe|Story)\b")
_NAME_AND_INITIAL_TAG = regex.compile(r"(?:For|Team|4)\p{Lu}\p{Ll}+\p{Lu}$")
_TAG_CUES = {"pray", "for", "praying", "team", "strong", "justice", "love", "support", "army", "battle", "fight",
             "hearts", "miracle", "warrior"}


@functools.lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The shipped table of first names (US Census 1990 and SSA lists), lower-cased."""
    return frozenset(shipped_table("first-names.yaml")["names"].split())


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English words more often written in lower case than capitalised (rules/tables/common-words.yaml)."""
    table = shipped_table("common-words.yaml")
    return frozenset(table["words"].split()) | frozenset(table["extra"])


@functools.lru_cache(maxsize=1)
def word_like_names() -> frozenset[str]:
    """First names that are also words ("Hope", "Will"): the table's own list and the common words."""
    return frozenset(shipped_table("first-names.yaml")["words"]) | (first_names() & common_words())


def tag_names_person(text: str, start: int, end: int) -> bool:
    """A hashtag that names someone: possessive ("#NoahsArmy"), a name and an initial ("#PrayForLiamK") or
    holding a listed first name ("#TeamEmma")."""
    tag = text[start:end]
    if _POSSESSIVE_TAG.match(tag) or _NAME_AND_INITIAL_TAG.search(tag):
        return True
    words = [w.lower() for w in _CAMEL_WORD.findall(tag[1:])]
    cued = any(w in _TAG_CUES for w in words)
    return cued and any(len(w) > 2 and w in first_names() and w not in word_like_names() and w not in _TAG_CUES
                        and w not in _cities() for w in words)


@functools.lru_cache(maxsize=1)
def _cities() -> frozenset[str]:
    """Large cities' names (rules/tables/cities.yaml), lower-cased: #BostonStrong is a city's slogan."""
    return frozenset(n.lower() for n in shipped_table("cities.yaml")["cities"].splitlines())


@functools.lru_cache(maxsize=4096)  # bounded: a long scan must not grow memory word by word
def _folded(word: str) -> str:
    """Lower-cased, accents dropped ("Lucía" -> "lucia")."""
    if word.isascii():
        return word.lower()
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


def first_name(text: str, start: int, end: int) -> bool:
    """A listed first name (rules/tables/first-names.yaml). One that is also a word ("Will", "Hope") counts
    only capitalised and not first in a sentence."""
    span = text[start:end]
    word = _folded(span)
    if word not in first_names() or word in _CALENDAR_WORDS:
        return False
    if span.islower() and word in _names_as_words():
        return False  # "with a walker"
    if _PLACE_PREFIX_BEFORE.search(text[max(0, start - 8):start]):
        return False  # "New York", "Fort Myers"
    return word not in word_like_names() or (span[:1].isupper() and not_sentence_start(text, start, end)
                                             and not _in_capitalised_run(text, start, end)
                                             and not _in_heading(text, start))


# First names that are also verbs and adverbs people write right after "our patient" ("our patient will go").
_VERBS_AFTER_PATIENT = frozenset("will may can mark bill rob pat sue grant chase drew dawn jack sang lay".split())


def first_name_after_patient(text: str, start: int, end: int) -> bool:
    """A listed first name, in any case, where only a name or a verb can stand ("our patient john went home"):
    words that are also names ("john") count there, verbs do not ("our patient will")."""
    word = _folded(text[start:end])
    return word in first_names() and word not in _VERBS_AFTER_PATIENT and word not in _CALENDAR_WORDS


@functools.lru_cache(maxsize=1)
def _names_as_words() -> frozenset[str]:
    """First names that are also common lower-case words ("walker", "bay"): rules/tables/common-words.yaml."""
    return frozenset(shipped_table("common-words.yaml")["names_as_words"].split())


_CALENDAR_WORDS = frozenset("january february march april may june july august september october november december "
                            "jan feb mar apr jun jul aug sep sept oct nov dec "
                            "monday tuesday wednesday thursday friday saturday sunday".split())
_PLACE_PREFIX_BEFORE = re.compile(r"\b(?:New|Fort|Ft\.|Port|Saint|St\.|San|Santa|Los|Las|Lake|Mount|Mt\.)\s+$")
_CAPITALISED_NEIGHBOUR_BEFORE = regex.compile(r"\p{Lu}[\p{L}'’.-]*[^\S\n]+$")
_CAPITALISED_NEIGHBOUR_AFTER = regex.compile(r"^[^\S\n]+\p{Lu}")


def _in_capitalised_run(text: str, start: int, end: int) -> bool:
    """Among capitalised common words ("Fore River Pavilion"): a word-like name there is a word of a title.
    Beside a surname-like word ("Wade Pritchard") it is a first name."""
    before = _CAPITALISED_NEIGHBOUR_BEFORE.search(text[max(0, start - 30):start])
    after = _CAPITALISED_NEIGHBOUR_AFTER.match(text[end:end + 3])
    if not (before or after):
        return False
    neighbours = []
    if before:
        neighbours.append(before.group().strip())
    if after:
        neighbours.append(_NAME_WORD.match(text, end + len(after.group()) - 1).group() if _NAME_WORD.match(
            text, end + len(after.group()) - 1) else "")
    return all(_folded(w.rstrip(".")) in common_words() for w in neighbours if w)


_NAME_WORD = regex.compile(r"\p{L}{2,}")
_DOMAIN = regex.compile(r"\w\.(?:gov|com|org|net|edu|io|us|uk|ca)\b", regex.IGNORECASE)
_MEDICAL_TERM = regex.compile(r"\p{L}{3,}(?:ectomy|otomy|ostomy|itis|osis|emia|aemia|oma|pathy|plasty|algia|plegia|trophy)")
_NAME_CUE_BEFORE = regex.compile(r"(?:\bname(?:\s+is|\s*:)|\bnamed|\bcall(?:ed)?\s+(?:me|him|her|them))\s*$",
                                 regex.IGNORECASE)


_HEADING_WORD = regex.compile(r"[\p{L}'’-]+")
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to with vs via is my your our".split())


def _in_heading(text: str, start: int) -> bool:
    """In a title-case line ("Who Should Get a Flu Vaccine?", a byline, a masthead): capitals say nothing."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", start)
    line = text[lo:hi if hi != -1 else len(text)].strip()
    words = [w for w in _HEADING_WORD.findall(line) if w.lower() not in _SMALL_WORDS]
    if not 2 <= len(words) <= 16 or line.endswith((".", ",", ";")):
        return False
    return sum(w[0].isupper() for w in words) >= 0.75 * len(words)


_PLACE_SUFFIX = regex.compile(
    r"[^\S\n](?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|Boulevard|Blvd|Parkway|Pkwy|Highway|Hwy|Court|Ct|"
    r"Place|Pl|Square|Plaza|Park|Auditorium|Pavilion|Hall|Center|Centre|Library|Building|Campus|Terrace|Way)"
    r"(?:[^\S\n]+(?:N|S|E|W|NE|NW|SE|SW))?\.?$")


def known_place(text: str, start: int, end: int) -> bool:
    """A place the tables know (a town or city, "X County", a street, "West Texas", "Plains, Georgia"), not
    a name the model took for one."""
    from ..detection.places import places

    name = text[start:end].strip()
    folded = name.casefold()
    if folded in places() or folded in _cities() or _PLACE_SUFFIX.search(name) or _AREA.search(name):
        return True
    state = _STATE_AFTER.match(text, end, end + 30)
    return bool(state) and state.group(1).casefold() in larger_than_state()


_AREA = regex.compile(
    r"[^\S\n](?:County|Parish|Borough|Township|District|Valley|Heights|Springs|Falls|Harbou?r|Beach|Bay)$|"
    r"^(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Upstate|Downstate)[^\S\n]")
_STATE_AFTER = regex.compile(r",[^\S\n]*([A-Z]{2}(?![\w'’-])|\p{Lu}\p{Ll}+(?:[^\S\n]+\p{Lu}\p{Ll}+)?)")


def not_place_shaped(text: str, start: int, end: int) -> bool:
    """Not a street or venue the model took for a person ("Ravenwood Drive", "Greene Square")."""
    return not _PLACE_SUFFIX.search(text[start:end].strip())


_CITATION_CUE = regex.compile(
    r"\bet\s+al\b|\(\s*(?:19|20)\d\d[a-z]?\s*\)|\bdoi\b|\b(?:19|20)\d\d\s*;\s*\d|"
    r"^[^\S\n]*(?:References|Bibliography|Sources|Further\s+reading|Works\s+cited)[^\S\n]*:?[^\S\n]*$",
    regex.IGNORECASE | regex.MULTILINE)
_INITIALS_IN_SPAN = regex.compile(r"^\p{Lu}[\p{L}'’-]+(?:[^\S\n]+\p{Lu}[\p{L}'’-]+)?[^\S\n]+[A-Z]{1,3}\.?(?:[^\S\n]|$)")
_INITIALS_AFTER = regex.compile(r"^[^\S\n]+[A-Z]{1,3}(?=[,.;:)]|[^\S\n]+(?:and|&|et)\b|[^\S\n]*\()")
_JOURNAL_AFTER = regex.compile(r"^\.?[^\S\n]*(?:19|20)\d\d[^\S\n]*[;:]")


def not_citation(text: str, start: int, end: int) -> bool:
    """Not an author or journal of a reference ("Chretien KC, Greysen SR ... (2009)", "Nat Commun. 2019;10"):
    a name with initials after it, near a citation's marks (et al., a year in brackets, a DOI, References)."""
    span = text[start:end]
    if "://" in span:
        return False
    shaped = (_INITIALS_IN_SPAN.match(span) or _INITIALS_AFTER.match(text[end:end + 12])
              or _JOURNAL_AFTER.match(text[end:end + 12]))
    if not shaped:
        return True
    lo, hi = Paragraphs(text).around(start)
    return not _CITATION_CUE.search(text, max(lo, start - 300), min(hi, end + 300))


def not_heading_word(text: str, start: int, end: int) -> bool:
    """Not one common word first in a sentence or in a title-case heading ("Two Routes to ...")."""
    words = _NAME_WORD.findall(text[start:end])
    if len(words) != 1 or _folded(words[0]) not in common_words():
        return True
    return not_sentence_start(text, start, end) and not _in_heading(text, start)


def not_first_name(text: str, start: int, end: int) -> bool:
    """Not a person ("from Maria", "the death of Rory Staunton") nor a people ("Americans"): for towns."""
    words = _NAME_WORD.findall(text[start:end])
    if not words or _DEMONYM.fullmatch(words[-1]):
        return not words
    first = _folded(words[0])
    return not (first in first_names() and (len(words) == 1 or first not in word_like_names()))


def not_in_agency_name(text: str, start: int, end: int) -> bool:
    """Not part of a longer agency or society name ("Health Resources and Services Administration",
    "Department of Health")."""
    return not (_AGENCY_AFTER.match(text, end, end + 80) or _AGENCY_BEFORE.search(text, max(0, start - 40), start))


_AGENCY_WORD = (r"(?:Administration|Agency|Association|Society|Council|Commission|Board|Institutes?|Foundation|"
                r"Department|Bureau|Alliance|Coalition|Federation|Ministry|Office|Centers|Services|Sciences)")
_AGENCY_AFTER = regex.compile(rf"[^\S\n]+(?:and|&|of|for)[^\S\n]+(?:\p{{Lu}}[\w'’-]*[^\S\n]+){{0,4}}{_AGENCY_WORD}\b")
_AGENCY_BEFORE = regex.compile(rf"\b{_AGENCY_WORD}[^\S\n]+(?:of|for)[^\S\n]+(?:the[^\S\n]+)?$")


def not_name_like(text: str, start: int, end: int) -> bool:
    """Not a word that reads as a person's name: a listed first name alone ("Dallas") or paired with one
    ("Tomasz and Agnieszka")."""
    words = _NAME_WORD.findall(text[start:end])
    if len(words) == 1 and _folded(words[0]) in first_names():
        return False
    if _INITIAL_BEFORE.search(text, max(0, start - 30), start):
        return False  # "Landerico B Hidalgo"
    before = _PAIRED_BEFORE.search(text, max(0, start - 30), start)
    after = _PAIRED_AFTER.match(text, end, end + 30)
    return not any(m and _folded(m.group(1)) in first_names() for m in (before, after))


_INITIAL_BEFORE = regex.compile(r"(?<![\w'’-])\p{Lu}\p{Ll}+[^\S\n]+\p{Lu}\.?[^\S\n]+$")
_PAIRED_BEFORE = regex.compile(r"(?<![\w'’-])(\p{Lu}\p{Ll}+)[^\S\n]+(?:and|&)[^\S\n]+$")
_PAIRED_AFTER = regex.compile(r"[^\S\n]+(?:and|&)[^\S\n]+(\p{Lu}\p{Ll}+)(?![\w'’-])")
_DEMONYM = regex.compile(r"\p{Lu}\p{Ll}+(?:ans|ians|ese|ish|ers)")


def not_common_words(text: str, start: int, end: int) -> bool:
    """Not a "name" made only of common English words ("Volunteer Corner", "Breast Cancer Awareness"), nor one
    such word first in a sentence ("Rest is productive") or in capitals ("COVID"): headings and words the
    model takes for names. A first word that is a listed first name and no word ("Carol Hope") keeps it."""
    if _DOMAIN.search(text[start:end + 1]):
        return False  # "Medicare.gov" is a site
    words = [_folded(w) for w in _NAME_WORD.findall(regex.sub(r"['’]s\b", "", text[start:end]))]
    if not words or _NAME_CUE_BEFORE.search(text[max(0, start - 30):start]):
        return True
    common = common_words()
    if len(words) == 1 and _MEDICAL_TERM.fullmatch(words[0]):
        return False  # "Hyponatremia"
    if not all(w in common for w in words):
        return True
    span = text[start:end]
    if len(words) == 1 and not span.isupper() and words[0] in first_names():
        return True  # a first name ("Bill is..."): the model stands
    if len(words) == 1 and not span.isupper() and not_sentence_start(text, start, end) and not _in_heading(text, start):
        return True  # one capitalised word mid-sentence ("Trump"): the model stands
    return words[0] in first_names() and words[0] not in word_like_names()


def not_sentence_start(text: str, start: int, end: int) -> bool:
    """Not the first word of a sentence, line or post (capitals there say nothing)."""
    before = text[max(0, start - 3):start].rstrip(" \t\"'“‘(")
    return bool(before) and before[-1] not in ".!?:\n…" and not _EMOJI_BEFORE.search(before[-1:])


@functools.lru_cache(maxsize=1)
def restricted_zip3_prefixes() -> frozenset[str]:
    """The shipped table of 3-digit ZIP prefixes with 20,000 people or fewer."""
    return frozenset(shipped_table("restricted-zip3.yaml")["prefixes"])


def restricted_zip3(text: str, start: int, end: int) -> bool:
    """A 3-digit ZIP prefix may be published unless its area has 20,000 people or fewer."""
    return text[start:end] in restricted_zip3_prefixes()


FILTERS: dict[str, Callable[[str, int, int], bool]] = {
    "specific_date": specific_date,
    "month_and_year": month_and_year,
    "smaller_than_state": smaller_than_state,
    "not_name_like": not_name_like,
    "not_file_name": not_file_name,
    "known_place": known_place,
    "not_in_agency_name": not_in_agency_name,
    "has_letters": has_letters,
    "not_eponym": not_eponym,
    "not_common_words": not_common_words,
    "not_hashtag": not_hashtag,
    "one_paragraph": one_paragraph,
    "not_toll_free": not_toll_free,
    "not_role_mailbox": not_role_mailbox,
    "not_email_domain": not_email_domain,
    "not_in_file_name": not_in_file_name,
    "not_organisation_tail": not_organisation_tail,
    "not_in_link_or_citation": not_in_link_or_citation,
    "not_first_name": not_first_name,
    "not_citation": not_citation,
    "not_heading_word": not_heading_word,
    "not_place_shaped": not_place_shaped,
    "not_public_site": not_public_site,
    "not_public_figure": not_public_figure,
    "not_drug_name": not_drug_name,
    "proper_noun": proper_noun,
    "place_name": place_name,
    "person_shaped": person_shaped,
    "not_person_shaped": not_person_shaped,
    "restricted_zip3": restricted_zip3,
    "not_in_tag": not_in_tag,
    "tag_names_person": tag_names_person,
    "first_name": first_name,
    "first_name_after_patient": first_name_after_patient,
    "not_sentence_start": not_sentence_start,
}
