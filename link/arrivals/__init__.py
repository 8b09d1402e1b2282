"""What each side does with the messages the other sends, a module per feature.

Each kind's body is read into its model (``core.messages``) and applied through the
domain's own functions, so what arrives follows the rules of what is made here.
``at_hub`` and ``at_box`` name the function applying each kind on each side.
"""
