"""The Streamlit app's pieces, one concern each; only ``app.py`` imports them.

They lay out what the core computes and keep a user's data in that user's ``st.session_state``. Nothing
here decides law: answers come from ``Assistant.ask``, tools from ``workrights.tools``.
"""
