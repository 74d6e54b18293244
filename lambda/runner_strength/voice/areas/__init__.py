"""One module per conversational area. An area imports the kernel (voice/conversation), speech/ and
training/, never another area; it lists its request handlers in HANDLERS and the questions it asks, with
their answers, in QUESTIONS. voice/skill.py assembles them."""
