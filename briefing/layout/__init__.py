"""Slides laid out as positioned boxes, from the content and the master as a viewer paints it."""
