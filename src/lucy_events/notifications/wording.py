"""What the service's e-mails say, in Dutch, French and English (the recipient's
language; English when it is unknown)."""

from __future__ import annotations

LANGUAGES = ("nl", "fr", "en")

WORDING: dict[str, dict[str, str]] = {
    "nl": {
        "invitation.subject": "{firm} nodigt {client} uit om documenten te delen",
        "invitation.greeting": "Beste {first_name},",
        "invitation.body": "{firm_contact} van {firm} nodigt u uit om de boekhoudkundige "
                           "documenten van {client} met uw boekhouder te delen.",
        "invitation.action": "Activeer uw account",
        "invitation.valid": "Deze link is één keer bruikbaar en geldig tot {expires}.",
        "invitation.trial": "Bij activatie start een gratis proefperiode van 30 dagen.",
        "invitation.questions": "Vragen? Contacteer {firm_contact} ({firm_contact_email}).",
        "reminder.subject": "De uitnodiging van {client} verloopt op {expires}",
        "reminder.body": "{client} heeft de uitnodiging van {firm} nog niet aanvaard. "
                         "De link verloopt op {expires}; stuur ze zo nodig opnieuw.",
        "reminder.action": "Open de klant",
        "staff_invitation.subject": "{firm} geeft u toegang tot Lucy",
        "staff_invitation.body": "{inviter} heeft u als {role} toegevoegd aan {firm}. Meld u "
                                 "aan met de link hieronder; daarna ontvangt u uw "
                                 "persoonlijke toegangssleutel.",
        "staff_invitation.action": "Aanmelden",
        "staff_invitation.valid": "Deze link is één keer bruikbaar en 7 dagen geldig.",
        "digest.subject": "{firm}: {count} van uw klanten vragen aandacht",
        "digest.greeting": "Beste {name},",
        "digest.intro": "Dit vragen uw klanten nu:",
        "digest.inbox": "documenten in de Inbox",
        "digest.failed": "mislukte leveringen",
        "digest.unrecognised": "niet herkende documenten",
        "digest.quarantined": "mails in quarantaine",
        "digest.invitation": "uitnodiging verloopt op",
        "digest.trial": "proefperiode eindigt op",
        "digest.action": "Open het dashboard",
        "client_reminder.subject": "Herinnering over {client}",
        "client_reminder.body": "{sender} vraagt uw aandacht voor {client}:",
        "client_user_invitation.subject": "{inviter} geeft u toegang tot {client} in Lucy",
        "client_user_invitation.body": "{inviter} heeft u als gebruiker van {client} "
                                       "toegevoegd. Kies met de link hieronder uw wachtwoord; "
                                       "daarna ziet u de documenten van {client}.",
        "client_user_invitation.action": "Kies uw wachtwoord",
        "client_user_invitation.valid": "Deze link is één keer bruikbaar en 7 dagen geldig.",
        "client_sign_in.subject": "Uw aanmeldlink voor {client}",
        "client_sign_in.body": "Meld u aan bij {client} met de link hieronder. Hebt u "
                               "niets gevraagd? Dan mag u dit bericht negeren.",
        "client_sign_in.action": "Aanmelden",
        "client_sign_in.valid": "Deze link is één keer bruikbaar en 20 minuten geldig.",
        "destination.subject": "Bevestig dat {client} documenten naar dit adres mag sturen",
        "destination.body": "{client} wil documenten naar {address} sturen ({label}). Open "
                            "de link hieronder om dat te bevestigen; tot dan wordt hier "
                            "niets naartoe gestuurd.",
        "destination.action": "Bevestig dit adres",
        "destination.valid": "Deze link is één keer bruikbaar en geldig tot {expires}. "
                             "Niet verwacht? Negeer deze mail.",
        "signature": "Met vriendelijke groeten,",
    },
    "fr": {
        "invitation.subject": "{firm} invite {client} à partager ses documents",
        "invitation.greeting": "Bonjour {first_name},",
        "invitation.body": "{firm_contact} de {firm} vous invite à partager les documents "
                           "comptables de {client} avec votre comptable.",
        "invitation.action": "Activer votre compte",
        "invitation.valid": "Ce lien n'est utilisable qu'une fois et reste valable "
                            "jusqu'au {expires}.",
        "invitation.trial": "L'activation démarre un essai gratuit de 30 jours.",
        "invitation.questions": "Des questions ? Contactez {firm_contact} "
                                "({firm_contact_email}).",
        "reminder.subject": "L'invitation de {client} expire le {expires}",
        "reminder.body": "{client} n'a pas encore accepté l'invitation de {firm}. Le lien "
                         "expire le {expires} ; renvoyez-la si nécessaire.",
        "reminder.action": "Ouvrir le client",
        "staff_invitation.subject": "{firm} vous donne accès à Lucy",
        "staff_invitation.body": "{inviter} vous a ajouté·e comme {role} chez {firm}. "
                                 "Connectez-vous avec le lien ci-dessous ; vous recevrez "
                                 "ensuite votre clé d'accès personnelle.",
        "staff_invitation.action": "Se connecter",
        "staff_invitation.valid": "Ce lien n'est utilisable qu'une fois, pendant 7 jours.",
        "digest.subject": "{firm} : {count} de vos clients demandent votre attention",
        "digest.greeting": "Bonjour {name},",
        "digest.intro": "Voici ce que vos clients demandent :",
        "digest.inbox": "documents dans la boîte de réception",
        "digest.failed": "envois échoués",
        "digest.unrecognised": "documents non reconnus",
        "digest.quarantined": "mails en quarantaine",
        "digest.invitation": "l'invitation expire le",
        "digest.trial": "l'essai se termine le",
        "digest.action": "Ouvrir le tableau de bord",
        "client_reminder.subject": "Rappel concernant {client}",
        "client_reminder.body": "{sender} attire votre attention sur {client} :",
        "client_user_invitation.subject": "{inviter} vous donne accès à {client} dans Lucy",
        "client_user_invitation.body": "{inviter} vous a ajouté·e comme utilisateur de "
                                       "{client}. Choisissez votre mot de passe avec le lien "
                                       "ci-dessous ; vous verrez ensuite les documents de "
                                       "{client}.",
        "client_user_invitation.action": "Choisir votre mot de passe",
        "client_user_invitation.valid": "Ce lien n'est utilisable qu'une fois, pendant 7 "
                                        "jours.",
        "client_sign_in.subject": "Votre lien de connexion pour {client}",
        "client_sign_in.body": "Connectez-vous à {client} avec le lien ci-dessous. Vous "
                               "n'avez rien demandé ? Ignorez ce message.",
        "client_sign_in.action": "Se connecter",
        "client_sign_in.valid": "Ce lien n'est utilisable qu'une fois, pendant 20 minutes.",
        "destination.subject": "Confirmez que {client} peut envoyer des documents à "
                               "cette adresse",
        "destination.body": "{client} souhaite envoyer des documents à {address} ({label}). "
                            "Ouvrez le lien ci-dessous pour le confirmer ; d'ici là, rien "
                            "n'y est envoyé.",
        "destination.action": "Confirmer cette adresse",
        "destination.valid": "Ce lien n'est utilisable qu'une fois, jusqu'au {expires}. "
                             "Inattendu ? Ignorez ce message.",
        "signature": "Cordialement,",
    },
    "en": {
        "invitation.subject": "{firm} invites {client} to share its documents",
        "invitation.greeting": "Dear {first_name},",
        "invitation.body": "{firm_contact} of {firm} invites you to share the accounting "
                           "documents of {client} with your accountant.",
        "invitation.action": "Activate your account",
        "invitation.valid": "This link works once and is valid until {expires}.",
        "invitation.trial": "Activating starts a free 30-day trial.",
        "invitation.questions": "Questions? Contact {firm_contact} ({firm_contact_email}).",
        "reminder.subject": "The invitation of {client} expires on {expires}",
        "reminder.body": "{client} has not accepted the invitation of {firm} yet. The link "
                         "expires on {expires}; resend it if needed.",
        "reminder.action": "Open the client",
        "staff_invitation.subject": "{firm} gives you access to Lucy",
        "staff_invitation.body": "{inviter} added you to {firm} as {role}. Sign in with the "
                                 "link below; you then get your personal access token.",
        "staff_invitation.action": "Sign in",
        "staff_invitation.valid": "This link works once, for 7 days.",
        "digest.subject": "{firm}: {count} of your clients need attention",
        "digest.greeting": "Dear {name},",
        "digest.intro": "This is what your clients need now:",
        "digest.inbox": "documents in the Inbox",
        "digest.failed": "failed deliveries",
        "digest.unrecognised": "unrecognised documents",
        "digest.quarantined": "quarantined mails",
        "digest.invitation": "invitation expires on",
        "digest.trial": "trial ends on",
        "digest.action": "Open the dashboard",
        "client_reminder.subject": "A reminder about {client}",
        "client_reminder.body": "{sender} asks for your attention about {client}:",
        "client_user_invitation.subject": "{inviter} gives you access to {client} in Lucy",
        "client_user_invitation.body": "{inviter} added you as a user of {client}. Choose "
                                       "your password with the link below; then you see "
                                       "the documents of {client}.",
        "client_user_invitation.action": "Choose your password",
        "client_user_invitation.valid": "This link works once, for 7 days.",
        "client_sign_in.subject": "Your sign-in link for {client}",
        "client_sign_in.body": "Sign in to {client} with the link below. Did you not ask "
                               "for it? Then ignore this message.",
        "client_sign_in.action": "Sign in",
        "client_sign_in.valid": "This link works once, for 20 minutes.",
        "destination.subject": "Confirm that {client} may send documents to this address",
        "destination.body": "{client} wants to send documents to {address} ({label}). Open "
                            "the link below to confirm; until then nothing is sent there.",
        "destination.action": "Confirm this address",
        "destination.valid": "This link works once and is valid until {expires}. Not "
                             "expected? Ignore this mail.",
        "signature": "Kind regards,",
    },
}


def language_of(contact_person: dict[str, str], country: str, postal_code: str = "") -> str:
    """The contact's own language when known; else a guess from the address: Dutch for
    the Netherlands and Flanders, French for Wallonia and Brussels, English otherwise."""
    chosen = (contact_person.get("language") or "").lower()
    if chosen in LANGUAGES:
        return chosen
    if country == "NL":
        return "nl"
    if country == "BE":
        code = int(postal_code) if postal_code.isdigit() else 0
        return "fr" if 1000 <= code < 1500 or 4000 <= code < 8000 else "nl"
    return "en"


def words(language: str, **values: str) -> dict[str, str]:
    """The wording of ``language`` with ``values`` filled in (keys with dots become
    underscores, so templates read ``t.invitation_subject``)."""
    table = WORDING.get(language, WORDING["en"])
    known = _Unfilled(values)  # another kind's placeholders stay as they are
    return {key.replace(".", "_"): text.format_map(known) for key, text in table.items()}


class _Unfilled(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
