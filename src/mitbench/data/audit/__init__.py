"""Generation-realism audit data: audit windows, generated-sequence manifests, chunked reading."""
