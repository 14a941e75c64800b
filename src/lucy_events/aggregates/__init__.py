"""Pure domain: the Firm, Client and Document aggregates, their events and rules.

Nothing here reads a clock, a database or a network: commands take what they need
(the acting person, the current time, the firm's configuration) as arguments.
"""
