"""The book's build pipeline: localize -> split -> execute -> merge -> render -> publish."""
