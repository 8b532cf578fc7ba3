"""Date and time formats per language (FORMAT_MODULE_PATH). One clock per language:
24-hour "14:30" in both, as slots are typed and as matching and emails print them,
where Django's defaults mix "2:30 م" (Arabic) and "2:30 p.m." (English) with it."""
