"""Planning a normalised schema, one kind of subschema per module, compliance policies apart."""
