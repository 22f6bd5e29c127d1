// Write the add function here.
