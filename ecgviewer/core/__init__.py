"""Qt-free core: record type, readers, renderer, rectifier, encoder and case base."""
