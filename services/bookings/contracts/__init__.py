"""Regular care contracts (accueil régulier): quote, request, acceptance against the places,
end, amendment, absences, attendance, the CNAF report (entrypoints, store, presenters)."""
