"""What the client portal's pages say, in Dutch, French and English.

The language is the one the person chose (the switch in the top bar, kept in the
session), else the browser's best match, else English. Templates read ``t("key")``;
a key without a translation falls back to English, and a key unknown in English too is
shown as itself, so a missing word is visible rather than an error. Values read the
same in every language (names, amounts, dates in ISO form) and the staff dashboard
stays English.
"""

from __future__ import annotations

from flask import request, session

from lucy_events.notifications.wording import LANGUAGES

SESSION_KEY = "portal_language"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "portal": "Client portal", "sign_in": "Sign in", "sign_out": "Sign out",
        "email": "E-mail address", "password": "Password", "password_again": "Password again",
        "first_name": "First name", "last_name": "Last name",
        "sign_in_intro": "Sign in with your e-mail address and password, or ask for a "
                         "sign-in link by e-mail.",
        "send_link": "E-mail me a sign-in link", "link_sent": "If {email} belongs to a "
        "user, a sign-in link is on its way. It works once, for 20 minutes.",
        "refused": "This e-mail address and password are not valid together.",
        "link_page": "Sign in with this link", "link_dead": "This link is used up or "
        "expired. Ask for a new one on the sign-in page.",
        "welcome": "Welcome", "choose_password": "Choose your password",
        "password_hint": "At least 10 characters.",
        "inbox": "Inbox", "documents": "All documents", "upload": "Upload",
        "inbox_address": "Inbox address", "settings": "Settings",
        "integrations": "Integrations", "users": "Users",
        "file": "File", "status": "Status", "type": "Type", "received": "Received",
        "size": "Size", "no_documents": "No documents here yet.",
        "upload_intro": "Upload purchase invoices, receipts and other documents; several "
                        "files at once. At most {limit} together.",
        "upload_button": "Upload", "uploaded": "{count} document(s) uploaded.",
        "inbox_address_intro": "Send or forward documents to this address; they arrive in "
                               "your Inbox.",
        "allowed_senders": "Allowed senders", "allowed_senders_intro": "Mail from these "
        "addresses or domains is accepted at once; other mail waits for your accountant.",
        "no_allowed_senders": "No allowed senders yet: ask your accountant to add them.",
        "auto_send_title": "Auto-send",
        "auto_send": "Send recognised documents to the accountant automatically",
        "auto_send_intro": "When this is on, a recognised document goes to your "
                           "accountant's package without anyone asking. When it is off, "
                           "documents stay in the Inbox until someone sends them.",
        "save": "Save", "auto_send_on": "Auto-send is on.", "auto_send_off": "Auto-send is off.",
        "package": "Accounting package", "package_intro": "Set up by your accountant; only "
        "they can change it.", "no_package": "No accounting package is linked yet.",
        "ubl": "Sends UBL instead of PDF", "destinations": "Your own destinations",
        "invite": "Invite a user", "role": "Role", "owner": "Owner", "member": "Member",
        "remove": "Remove", "invited": "{email} was invited.", "removed": "{email} was "
        "removed; their sessions have ended.", "not_yet": "invited, no password yet",
        "invite_mail_failed": "The invitation e-mail could not be sent ({error}).",
        "preview": "Preview", "fields": "Fields", "download": "Download",
        "back": "Back", "history": "History", "as_customer": "As the customer sees it",
        "read_only": "Read-only: this is the client's own view of their Inbox.",
        "not_recognised": "Not recognised", "language": "Language",
    },
    "nl": {
        "portal": "Klantenportaal", "sign_in": "Aanmelden", "sign_out": "Afmelden",
        "email": "E-mailadres", "password": "Wachtwoord", "password_again": "Wachtwoord "
        "nogmaals", "first_name": "Voornaam", "last_name": "Achternaam",
        "sign_in_intro": "Meld u aan met uw e-mailadres en wachtwoord, of vraag een "
                         "aanmeldlink per e-mail.",
        "send_link": "Mail mij een aanmeldlink", "link_sent": "Als {email} bij een "
        "gebruiker hoort, is er een aanmeldlink onderweg. Hij werkt één keer, 20 minuten.",
        "refused": "Dit e-mailadres en wachtwoord horen niet samen.",
        "link_page": "Aanmelden met deze link", "link_dead": "Deze link is gebruikt of "
        "verlopen. Vraag een nieuwe op de aanmeldpagina.",
        "welcome": "Welkom", "choose_password": "Kies uw wachtwoord",
        "password_hint": "Minstens 10 tekens.",
        "inbox": "Inbox", "documents": "Alle documenten", "upload": "Opladen",
        "inbox_address": "Inbox-adres", "settings": "Instellingen",
        "integrations": "Integraties", "users": "Gebruikers",
        "file": "Bestand", "status": "Status", "type": "Soort", "received": "Ontvangen",
        "size": "Grootte", "no_documents": "Hier zijn nog geen documenten.",
        "upload_intro": "Laad aankoopfacturen, kasbons en andere documenten op, meerdere "
                        "tegelijk. Samen hoogstens {limit}.",
        "upload_button": "Opladen", "uploaded": "{count} document(en) opgeladen.",
        "inbox_address_intro": "Stuur of bezorg documenten aan dit adres; ze komen in uw "
                               "Inbox.",
        "allowed_senders": "Toegelaten afzenders", "allowed_senders_intro": "Mail van "
        "deze adressen of domeinen wordt meteen aanvaard; andere mail wacht op uw boekhouder.",
        "no_allowed_senders": "Nog geen toegelaten afzenders: vraag ze aan uw boekhouder.",
        "auto_send_title": "Automatisch versturen",
        "auto_send": "Herkende documenten automatisch naar de boekhouder sturen",
        "auto_send_intro": "Staat dit aan, dan gaat een herkend document vanzelf naar het "
                           "boekhoudpakket van uw boekhouder. Staat het uit, dan blijven "
                           "documenten in de Inbox tot iemand ze verstuurt.",
        "save": "Bewaren", "auto_send_on": "Automatisch versturen staat aan.",
        "auto_send_off": "Automatisch versturen staat uit.",
        "package": "Boekhoudpakket", "package_intro": "Ingesteld door uw boekhouder; "
        "alleen die kan het wijzigen.", "no_package": "Er is nog geen boekhoudpakket "
        "gekoppeld.", "ubl": "Verstuurt UBL in plaats van PDF",
        "destinations": "Uw eigen bestemmingen",
        "invite": "Gebruiker uitnodigen", "role": "Rol", "owner": "Eigenaar", "member": "Lid",
        "remove": "Verwijderen", "invited": "{email} is uitgenodigd.", "removed": "{email} "
        "is verwijderd; de sessies zijn beëindigd.", "not_yet": "uitgenodigd, nog geen "
        "wachtwoord", "invite_mail_failed": "De uitnodiging kon niet worden gemaild "
        "({error}).",
        "preview": "Voorbeeld", "fields": "Gegevens", "download": "Downloaden",
        "back": "Terug", "history": "Geschiedenis", "as_customer": "Zoals de klant het ziet",
        "read_only": "Alleen lezen: zo ziet de klant de eigen Inbox.",
        "not_recognised": "Niet herkend", "language": "Taal",
    },
    "fr": {
        "portal": "Portail client", "sign_in": "Se connecter", "sign_out": "Se déconnecter",
        "email": "Adresse e-mail", "password": "Mot de passe", "password_again": "Mot de "
        "passe (encore)", "first_name": "Prénom", "last_name": "Nom",
        "sign_in_intro": "Connectez-vous avec votre adresse e-mail et votre mot de passe, "
                         "ou demandez un lien de connexion par e-mail.",
        "send_link": "M'envoyer un lien de connexion", "link_sent": "Si {email} appartient "
        "à un utilisateur, un lien de connexion est en route. Il fonctionne une fois, 20 "
        "minutes.", "refused": "Cette adresse e-mail et ce mot de passe ne vont pas ensemble.",
        "link_page": "Se connecter avec ce lien", "link_dead": "Ce lien a été utilisé ou a "
        "expiré. Demandez-en un nouveau sur la page de connexion.",
        "welcome": "Bienvenue", "choose_password": "Choisissez votre mot de passe",
        "password_hint": "Au moins 10 caractères.",
        "inbox": "Boîte de réception", "documents": "Tous les documents",
        "upload": "Déposer", "inbox_address": "Adresse de réception",
        "settings": "Paramètres", "integrations": "Intégrations", "users": "Utilisateurs",
        "file": "Fichier", "status": "Statut", "type": "Type", "received": "Reçu",
        "size": "Taille", "no_documents": "Pas encore de documents ici.",
        "upload_intro": "Déposez factures d'achat, tickets et autres documents, plusieurs "
                        "à la fois. Au plus {limit} ensemble.",
        "upload_button": "Déposer", "uploaded": "{count} document(s) déposé(s).",
        "inbox_address_intro": "Envoyez ou transférez vos documents à cette adresse ; ils "
                               "arrivent dans votre boîte de réception.",
        "allowed_senders": "Expéditeurs autorisés", "allowed_senders_intro": "Le courrier "
        "de ces adresses ou domaines est accepté tout de suite ; l'autre attend votre "
        "comptable.", "no_allowed_senders": "Pas encore d'expéditeurs autorisés : "
        "demandez-les à votre comptable.",
        "auto_send_title": "Envoi automatique",
        "auto_send": "Envoyer automatiquement les documents reconnus au comptable",
        "auto_send_intro": "Activé, un document reconnu part de lui-même vers le logiciel "
                           "de votre comptable. Désactivé, les documents restent dans la "
                           "boîte de réception jusqu'à ce que quelqu'un les envoie.",
        "save": "Enregistrer", "auto_send_on": "L'envoi automatique est activé.",
        "auto_send_off": "L'envoi automatique est désactivé.",
        "package": "Logiciel comptable", "package_intro": "Configuré par votre comptable ; "
        "lui seul peut le modifier.", "no_package": "Aucun logiciel comptable n'est encore "
        "lié.", "ubl": "Envoie de l'UBL au lieu du PDF",
        "destinations": "Vos propres destinations",
        "invite": "Inviter un utilisateur", "role": "Rôle", "owner": "Propriétaire",
        "member": "Membre", "remove": "Retirer", "invited": "{email} a été invité·e.",
        "removed": "{email} a été retiré·e ; ses sessions sont terminées.",
        "not_yet": "invité·e, pas encore de mot de passe", "invite_mail_failed":
        "L'invitation n'a pas pu être envoyée ({error}).",
        "preview": "Aperçu", "fields": "Données", "download": "Télécharger",
        "back": "Retour", "history": "Historique", "as_customer": "Tel que le client le voit",
        "read_only": "Lecture seule : la vue du client sur sa boîte de réception.",
        "not_recognised": "Non reconnu", "language": "Langue",
    },
}


def language() -> str:
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or "en"


def choose_language(code: str) -> None:
    if code in LANGUAGES:
        session[SESSION_KEY] = code


def t(key: str, **values: object) -> str:
    text = WORDS[language()].get(key) or WORDS["en"].get(key) or key
    return text.format(**values) if values else text
