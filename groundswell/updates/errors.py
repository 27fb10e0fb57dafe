"""Updates' domain errors: raised by actions when a rule would be broken; views show the message."""


class UpdateRuleBroken(Exception):
    pass
