"""The API's marshmallow schemas: request bodies and queries (strict), responses."""
