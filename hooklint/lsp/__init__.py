"""`hooklint lsp`: the language server. It analyses each open file's whole application with the editor's
buffers over the disk, and answers from the same plan, graph and findings `lint`, `explain` and `fix` give
(docs/lsp.md). Only `server.py` imports pygls; the rest is plain hooklint."""
