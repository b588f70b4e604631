"""The kinds of notification, their mail defaults and their texts in each language.

A text is a ``str.format`` template filled with the ``params`` the caller passes (user content
such as a file name is only ever a value, never a template). A language without a text for a
kind falls back to English, so a new language can be added one kind at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LANGUAGES = ("en", "fr", "de")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Kind:
    name: str
    # Mail unless the user turned it off; security mail cannot be turned off.
    email_default: bool = True
    security: bool = False


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("cv_analysis_ready"),
        Kind("cv_analysis_failed"),
        Kind("resume_viewed"),
        # Sent by billing (issue 11).
        Kind("quota_warning"),
        Kind("quota_reached"),
        Kind("subscription_activated"),
        Kind("payment_failed"),
        Kind("subscription_cancelled"),
        Kind("security_new_sign_in", security=True),
        Kind("security_password_changed", security=True),
        Kind("security_sessions_revoked", security=True),
    )
}

# kind -> language -> (title, body)
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "cv_analysis_ready": {
        "en": ("Your CV has been analysed", "{filename}: quality score {score}/100."),
        "fr": ("Votre CV a été analysé", "{filename} : score de qualité {score}/100."),
        "de": ("Ihr Lebenslauf wurde analysiert", "{filename}: Qualitätswert {score}/100."),
    },
    "cv_analysis_failed": {
        "en": ("Your CV could not be analysed", "{filename}: {error}"),
        "fr": ("Votre CV n'a pas pu être analysé", "{filename} : {error}"),
        "de": ("Ihr Lebenslauf konnte nicht analysiert werden", "{filename}: {error}"),
    },
    "resume_viewed": {
        "en": ("Your shared resume was viewed", "“{title}” was viewed today."),
        "fr": ("Votre CV partagé a été consulté", "« {title} » a été consulté aujourd'hui."),
        "de": ("Ihr geteilter Lebenslauf wurde angesehen", "„{title}“ wurde heute angesehen."),
    },
    "quota_warning": {
        "en": ("You have used 80% of your {quota} quota", "{used} of {limit} used this period."),
        "fr": ("Vous avez utilisé 80 % de votre quota {quota}", "{used} sur {limit} utilisés."),
        "de": ("80 % Ihres Kontingents {quota} sind verbraucht", "{used} von {limit} genutzt."),
    },
    "quota_reached": {
        "en": ("You have reached your {quota} quota", "{used} of {limit} used this period."),
        "fr": ("Vous avez atteint votre quota {quota}", "{used} sur {limit} utilisés."),
        "de": ("Ihr Kontingent {quota} ist erschöpft", "{used} von {limit} genutzt."),
    },
    "subscription_activated": {
        "en": ("Your {plan} plan is active", "Thank you: your subscription is now active."),
        "fr": ("Votre formule {plan} est active", "Merci : votre abonnement est actif."),
        "de": ("Ihr Tarif {plan} ist aktiv", "Danke: Ihr Abonnement ist jetzt aktiv."),
    },
    "payment_failed": {
        "en": ("A payment failed", "The payment for your {plan} plan did not go through."),
        "fr": ("Un paiement a échoué", "Le paiement de votre formule {plan} a échoué."),
        "de": ("Eine Zahlung ist fehlgeschlagen", "Die Zahlung für {plan} ist fehlgeschlagen."),
    },
    "subscription_cancelled": {
        "en": ("Your subscription was cancelled", "Your {plan} plan ends on {ends_on}."),
        "fr": ("Votre abonnement a été résilié", "Votre formule {plan} prend fin le {ends_on}."),
        "de": ("Ihr Abonnement wurde gekündigt", "Ihr Tarif {plan} endet am {ends_on}."),
    },
    "security_new_sign_in": {
        "en": (
            "New sign-in to your account",
            "A sign-in from {device} ({address}). If this was not you, change your password.",
        ),
        "fr": (
            "Nouvelle connexion à votre compte",
            "Connexion depuis {device} ({address}). Si ce n'était pas vous, changez votre mot "
            "de passe.",
        ),
        "de": (
            "Neue Anmeldung bei Ihrem Konto",
            "Anmeldung von {device} ({address}). Falls Sie das nicht waren, ändern Sie Ihr "
            "Passwort.",
        ),
    },
    "security_password_changed": {
        "en": ("Your password was changed", "Your other sessions were signed out."),
        "fr": ("Votre mot de passe a été modifié", "Vos autres sessions ont été fermées."),
        "de": ("Ihr Passwort wurde geändert", "Ihre anderen Sitzungen wurden abgemeldet."),
    },
    "security_sessions_revoked": {
        "en": ("You were signed out", "{reason}"),
        "fr": ("Vous avez été déconnecté", "{reason}"),
        "de": ("Sie wurden abgemeldet", "{reason}"),
    },
}

# Fixed phrases used inside texts (e.g. the reason a session ended), per language.
PHRASES: dict[str, dict[str, str]] = {
    "password_reset": {
        "en": "Your password was reset and all your sessions were signed out.",
        "fr": "Votre mot de passe a été réinitialisé et toutes vos sessions ont été fermées.",
        "de": "Ihr Passwort wurde zurückgesetzt und alle Sitzungen wurden abgemeldet.",
    },
    "refresh_reuse": {
        "en": "A session was signed out because its sign-in token was used twice.",
        "fr": "Une session a été fermée car son jeton de connexion a été utilisé deux fois.",
        "de": "Eine Sitzung wurde abgemeldet, weil ihr Anmeldetoken doppelt verwendet wurde.",
    },
    "unknown_device": {
        "en": "an unknown device",
        "fr": "un appareil inconnu",
        "de": "einem unbekannten Gerät",
    },
}


@dataclass(frozen=True)
class Phrase:
    """A parameter given as one of ``PHRASES``, written in the reader's language."""

    name: str


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def phrase(name: str, language: str) -> str:
    options = PHRASES.get(name, {})
    return options.get(language) or options.get(DEFAULT_LANGUAGE) or name


def render(kind: str, language: str, params: dict[str, Any]) -> tuple[str, str]:
    """(title, body) of ``kind`` in ``language`` (English when there is no such text)."""
    options = TEXTS.get(kind, {})
    title, body = options.get(language) or options.get(DEFAULT_LANGUAGE) or (kind, "")
    values = _Blank(
        {
            k: phrase(v.name, language) if isinstance(v, Phrase) else ("" if v is None else v)
            for k, v in params.items()
        }
    )
    return title.format_map(values)[:200], body.format_map(values)
