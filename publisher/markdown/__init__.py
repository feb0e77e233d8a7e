"""The markdown layer every stage asks: the structural line lexer, pipe tables, citation
notation. Below every stage: imports only the model, source lines and text constants."""
