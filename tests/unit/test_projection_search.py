"""The dashboard's search box and list options, as pure text and SQL fragments."""

from __future__ import annotations

from uuid import uuid4

import pytest

from lucy_events.aggregates.actors import Role
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.projections.client_filters import (
    ClientFilters,
    Tab,
    TabNotAllowed,
    Where,
    order_by,
    tab_for,
    visible,
)
from lucy_events.projections.search import compact_number, fold, numbers_key, search_patterns


def test_names_fold_to_lower_case_without_accents_and_extra_spaces():
    assert fold("  Émile   FLEURISTE ") == "emile fleuriste"
    assert fold("Café De Kroon") == "cafe de kroon"


@pytest.mark.parametrize("typed", ["BE 0403.170.701", "be0403170701", "0403 170 701"])
def test_a_number_compacts_to_its_digits_whatever_was_typed(typed):
    assert compact_number(typed) == "0403170701"


def test_a_dutch_vat_number_keeps_its_letters_but_not_its_country():
    assert compact_number("NL 0044.95.445.B01") == "004495445b01"
    assert numbers_key("12345678", "NL004495445B01") == "12345678 004495445b01"


def test_a_search_without_digits_looks_at_names_only():
    patterns = search_patterns("Bakkerij")
    assert patterns is not None
    assert (patterns.name, patterns.number) == ("%bakkerij%", None)


def test_a_search_with_digits_also_looks_at_the_numbers():
    patterns = search_patterns("BE 0403.170")
    assert patterns is not None and patterns.number == "%0403170%"


def test_like_wildcards_typed_in_the_search_box_are_taken_literally():
    patterns = search_patterns("100%_off")
    assert patterns is not None and patterns.name == "%100\\%\\_off%"


def test_nothing_typed_means_no_search():
    assert search_patterns("   ") is None
    assert search_patterns(None) is None


def test_accountants_have_the_onboarding_and_my_clients_tabs_only():
    assert tab_for(Role.ACCOUNTANT, None) is Tab.MY_CLIENTS
    assert tab_for(Role.ACCOUNTANT, "onboarding") is Tab.ONBOARDING
    for tab in ("all", "invitations"):
        with pytest.raises(TabNotAllowed):
            tab_for(Role.ACCOUNTANT, tab)
    assert tab_for(Role.ADMIN, None) is Tab.ALL


def test_non_admins_never_see_hidden_clients():
    assert "c.hidden = FALSE" in visible(uuid4(), Role.ACCOUNTANT).clauses
    assert "c.hidden = FALSE" not in visible(uuid4(), Role.ADMIN).clauses


def test_unknown_sorts_and_filter_values_are_refused_with_the_field_named():
    with pytest.raises(InvalidValue) as error:
        order_by("name; DROP TABLE dashboard_clients")
    assert error.value.field == "sort"
    for field, value in (("peppol", "sometimes"), ("integration", "abacus"),
                         ("status", "Gone"), ("team", "not-an-id")):
        with pytest.raises(InvalidValue) as error:
            ClientFilters(**{field: value}).apply_to(Where())
        assert error.value.field == field


def test_filter_values_reach_the_database_as_parameters_only():
    where = Where()
    ClientFilters(q="O'Brien", status="Active", integration="clearfacts").apply_to(where)
    assert "O'Brien" not in where.sql and "clearfacts" not in where.sql
    assert where.params["q_name"] == "%o'brien%"
