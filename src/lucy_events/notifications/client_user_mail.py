"""The client portal's e-mails: a new user's invitation (choose a password) and a
sign-in link. Each one's link is made in the request that draws its token, so it is
mailed from there, once per token (keyed by the token's hash in ``lucy_sent_mail``),
with the named retry policy; a failure is reported to the person who asked."""

from __future__ import annotations

import hashlib

from lucy_events.application import LucyApplication
from lucy_events.client_users import ClientUser
from lucy_events.notifications.ledger import SentMail
from lucy_events.notifications.mailer import Mailer
from lucy_events.notifications.messages import build_mail
from lucy_events.notifications.sending import Sent, send_once
from lucy_events.notifications.wording import LANGUAGES


class ClientUserMail:
    def __init__(self, app: LucyApplication, mailer: Mailer, ledger: SentMail) -> None:
        self.app, self.mailer, self.ledger = app, mailer, ledger

    def invitation(self, user: ClientUser, *, token: str, link: str, inviter: str,
                   language: str) -> Sent:
        return self._send("client_user_invitation", user, token, link, language,
                          inviter=inviter)

    def sign_in_link(self, user: ClientUser, *, token: str, link: str, language: str) -> Sent:
        return self._send("client_sign_in", user, token, link, language)

    def _send(self, kind: str, user: ClientUser, token: str, link: str, language: str,
              **values: str) -> Sent:
        client = self.app.client_for_operator(user.client_id)
        firm = self.app.firm(user.firm_id).name
        key = f"{kind}:{hashlib.sha256(token.encode()).hexdigest()}"
        message = build_mail(
            kind, language=language if language in LANGUAGES else "en", to=user.email,
            to_name=user.name, from_address=self.mailer.from_address, from_name=firm,
            message_key=key.replace(":", "-"), firm_id=str(user.firm_id),
            values={"firm": firm, "client": client.name, **values}, link=link)
        return send_once(self.mailer, self.ledger, key, message)
