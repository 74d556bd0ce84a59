"""Python port of Aceint's backend SDK (`@aceint/ai-interviews` on `@aceint/auth`). Never imports Streamlit."""
