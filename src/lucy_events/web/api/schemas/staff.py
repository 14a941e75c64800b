"""Staff members and teams, as admins manage them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.web.api.schemas.common import Strict

ROLES = validate.OneOf(["admin", "accountant"])


class StaffInviteSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.String(required=True, validate=validate.Length(min=3, max=320))
    role = fields.String(required=True, validate=ROLES)
    language = fields.String(load_default="en", validate=validate.OneOf(["nl", "fr", "en"]),
                             metadata={"description": "the invitation e-mail's language"})


class StaffRoleSchema(Strict):
    role = fields.String(required=True, validate=ROLES)


class StaffTeamsSchema(Strict):
    team_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(max=100),
                           metadata={"description": "the member's teams from now on "
                                     "(moving someone: the new team only)"})


class TeamNameSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class StaffMemberSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    email = fields.String()
    role = fields.String()
    team_ids = fields.List(fields.UUID())


class FirmTeamSchema(Schema):
    id = fields.UUID()
    name = fields.String()


class StaffListSchema(Schema):
    staff = fields.List(fields.Nested(StaffMemberSchema))
    teams = fields.List(fields.Nested(FirmTeamSchema))


class InviteMailSchema(Schema):
    sent = fields.Boolean()
    error = fields.String(allow_none=True, metadata={"description": "why it was not sent"})


class StaffInvitedSchema(StaffMemberSchema):
    link = fields.String(metadata={"description": "the single-use sign-in link (shown "
                                   "once; pass it on yourself if the e-mail failed)"})
    mail = fields.Nested(InviteMailSchema)


class DeactivatedSchema(Schema):
    tokens_revoked = fields.Integer()
    sessions_ended = fields.Integer()


class ServiceNameSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class FirmServiceSchema(Schema):
    id = fields.UUID()
    name = fields.String()


class FirmServiceListSchema(Schema):
    services = fields.List(fields.Nested(FirmServiceSchema))


class ClientServiceSchema(Strict):
    owner_id = fields.UUID(required=True)
    participant_ids = fields.List(fields.UUID(), load_default=list,
                                  validate=validate.Length(max=50))


class DigestChoiceSchema(Strict):
    frequency = fields.String(required=True, validate=validate.OneOf(
        ["off", "daily", "weekly", "monthly"]), metadata={"description": "daily 08:00, "
        "weekly Monday 10:00, monthly the 1st 08:00 (Europe/Brussels)"})
    language = fields.String(load_default="en", validate=validate.OneOf(["nl", "fr", "en"]))


class ClientReminderSchema(Strict):
    about = fields.List(fields.String(validate=validate.OneOf(
        ["inbox", "failed", "unrecognised", "quarantined", "invitation", "trial"])),
        required=True, validate=validate.Length(min=1, max=6))
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


class ReminderSentSchema(Schema):
    sent_to = fields.List(fields.String())
    not_sent = fields.List(fields.String(), metadata={"description": "recipient: why"})
