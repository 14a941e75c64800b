"""What the multisender's portal pages say, in Dutch, French and English (the portal's
language choice, ``web.portal.wording.language``); kept apart from the portal's own
words so each area keeps its table."""

from __future__ import annotations

from lucy_events.web.portal.wording import language

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "destinations_intro": "Send copies of your documents to addresses of your own, such "
                              "as your accounting software's mail-in address. This never "
                              "changes what goes to your accountant.",
        "add_destination": "+ Add destination", "address": "E-mail address",
        "label": "Name (optional)", "add": "Add",
        "confirmed": "Confirmed", "unconfirmed": "Waiting for confirmation",
        "resend": "Send a new link", "remove": "Remove", "no_destinations":
        "No destinations yet.",
        "added": "A confirmation link was mailed to {address}. Documents can be sent there "
                 "once it is opened.",
        "mail_failed": "The confirmation e-mail could not be sent ({error}); send a new "
                       "link later.",
        "resent": "A new confirmation link was mailed to {address}.",
        "removed_destination": "{address} is no longer a destination.",
        "confirm_title": "Confirm this address",
        "confirm_intro": "{client} wants to send documents to {address}. Confirm only if "
                         "this address should receive them.",
        "confirm_button": "Confirm", "confirmed_page": "{address} is confirmed: {client} "
        "can now send documents there.",
        "link_invalid": "This link cannot be used",
        "send_to": "Send to…", "send_several": "Send several to…",
        "send_intro": "Choose the documents and one of your confirmed destinations. Any "
                      "document can be sent, Sent ones included; what went to your "
                      "accountant stays as it is.",
        "destination": "Destination", "send": "Send",
        "no_confirmed": "No confirmed destination yet: add one on the Integrations page.",
        "on_their_way": "{count} document(s) on their way to {address}.",
        "not_sent": "{file}: {error}",
        "sendings": "Sent through your destinations", "no_sendings": "Not sent anywhere "
        "yet.", "retry": "Send again",
        "status_requested": "On its way", "status_sent": "Sent", "status_failed": "Failed",
        "retrying": "Sending again to {address}.",
    },
    "nl": {
        "destinations_intro": "Stuur kopieën van uw documenten naar eigen adressen, zoals "
                              "het inleesadres van uw boekhoudpakket. Wat naar uw "
                              "boekhouder gaat, verandert daardoor nooit.",
        "add_destination": "+ Bestemming toevoegen", "address": "E-mailadres",
        "label": "Naam (optioneel)", "add": "Toevoegen",
        "confirmed": "Bevestigd", "unconfirmed": "Wacht op bevestiging",
        "resend": "Stuur een nieuwe link", "remove": "Verwijderen",
        "no_destinations": "Nog geen bestemmingen.",
        "added": "Er is een bevestigingslink naar {address} gemaild. Zodra die geopend is, "
                 "kunnen er documenten naartoe.",
        "mail_failed": "De bevestigingsmail kon niet verstuurd worden ({error}); stuur "
                       "later een nieuwe link.",
        "resent": "Er is een nieuwe bevestigingslink naar {address} gemaild.",
        "removed_destination": "{address} is geen bestemming meer.",
        "confirm_title": "Bevestig dit adres",
        "confirm_intro": "{client} wil documenten naar {address} sturen. Bevestig alleen "
                         "als dit adres ze mag ontvangen.",
        "confirm_button": "Bevestigen", "confirmed_page": "{address} is bevestigd: "
        "{client} kan er nu documenten naartoe sturen.",
        "link_invalid": "Deze link kan niet gebruikt worden",
        "send_to": "Versturen naar…", "send_several": "Meerdere versturen naar…",
        "send_intro": "Kies de documenten en een van uw bevestigde bestemmingen. Elk "
                      "document kan, ook een verzonden; wat naar uw boekhouder ging, "
                      "blijft zoals het is.",
        "destination": "Bestemming", "send": "Versturen",
        "no_confirmed": "Nog geen bevestigde bestemming: voeg er een toe bij Integraties.",
        "on_their_way": "{count} document(en) onderweg naar {address}.",
        "not_sent": "{file}: {error}",
        "sendings": "Verstuurd naar uw bestemmingen", "no_sendings": "Nog nergens naartoe "
        "verstuurd.", "retry": "Opnieuw versturen",
        "status_requested": "Onderweg", "status_sent": "Verstuurd",
        "status_failed": "Mislukt", "retrying": "Wordt opnieuw verstuurd naar {address}.",
    },
    "fr": {
        "destinations_intro": "Envoyez des copies de vos documents à vos propres adresses, "
                              "comme l'adresse de réception de votre logiciel comptable. "
                              "Ce qui part chez votre comptable ne change jamais.",
        "add_destination": "+ Ajouter une destination", "address": "Adresse e-mail",
        "label": "Nom (facultatif)", "add": "Ajouter",
        "confirmed": "Confirmée", "unconfirmed": "En attente de confirmation",
        "resend": "Envoyer un nouveau lien", "remove": "Retirer",
        "no_destinations": "Pas encore de destination.",
        "added": "Un lien de confirmation a été envoyé à {address}. Des documents pourront "
                 "y être envoyés dès qu'il sera ouvert.",
        "mail_failed": "L'e-mail de confirmation n'a pas pu être envoyé ({error}) ; "
                       "envoyez un nouveau lien plus tard.",
        "resent": "Un nouveau lien de confirmation a été envoyé à {address}.",
        "removed_destination": "{address} n'est plus une destination.",
        "confirm_title": "Confirmer cette adresse",
        "confirm_intro": "{client} souhaite envoyer des documents à {address}. Ne "
                         "confirmez que si cette adresse doit les recevoir.",
        "confirm_button": "Confirmer", "confirmed_page": "{address} est confirmée : "
        "{client} peut maintenant y envoyer des documents.",
        "link_invalid": "Ce lien ne peut pas être utilisé",
        "send_to": "Envoyer à…", "send_several": "En envoyer plusieurs à…",
        "send_intro": "Choisissez les documents et une de vos destinations confirmées. "
                      "Tout document peut être envoyé, même déjà envoyé ; ce qui est parti "
                      "chez votre comptable reste tel quel.",
        "destination": "Destination", "send": "Envoyer",
        "no_confirmed": "Pas encore de destination confirmée : ajoutez-en une dans "
                        "Intégrations.",
        "on_their_way": "{count} document(s) en route vers {address}.",
        "not_sent": "{file} : {error}",
        "sendings": "Envoyé à vos destinations", "no_sendings": "Envoyé nulle part pour "
        "l'instant.", "retry": "Renvoyer",
        "status_requested": "En route", "status_sent": "Envoyé", "status_failed": "Échoué",
        "retrying": "Nouvel envoi vers {address}.",
    },
}


def tm(key: str, **values: object) -> str:
    """The multisender's words in the portal's language (English when missing)."""
    text = WORDS.get(language(), WORDS["en"]).get(key) or WORDS["en"].get(key) or key
    return text.format(**values) if values else text
